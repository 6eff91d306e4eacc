using System.Data;
using System.Data.Common;

namespace PracticeApi.Infrastructure.Data;

public sealed partial class RequestUnitOfWork
{
    /// <summary>A store's transaction inside the unit: a savepoint.</summary>
    private sealed class UnitTransaction(UnitConnection connection) : DbTransaction
    {
        private bool _completed;

        public override IsolationLevel IsolationLevel => connection.Unit._transaction?.IsolationLevel
            ?? IsolationLevel.Unspecified;

        protected override DbConnection DbConnection => connection;

        public override void Commit() => CommitAsync().GetAwaiter().GetResult();

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            Complete();
            await connection.Unit.ReleaseAsync(cancellationToken);
        }

        public override void Rollback() => RollbackAsync().GetAwaiter().GetResult();

        public override async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            Complete();
            await connection.Unit.RollbackToSavepointAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_completed && !connection.Unit._ended) Rollback();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_completed && !connection.Unit._ended) await RollbackAsync();
            GC.SuppressFinalize(this);
        }

        private void Complete()
        {
            if (_completed) throw new InvalidOperationException(
                "This transaction has completed; it is no longer usable.");
            _completed = true;
        }
    }
}
