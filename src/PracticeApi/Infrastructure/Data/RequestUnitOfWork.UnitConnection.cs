using System.Data;
using System.Data.Common;

namespace PracticeApi.Infrastructure.Data;

public sealed partial class RequestUnitOfWork
{
    /// <summary>
    /// A store's view of the unit's connection: closing or disposing it leaves the physical connection open, a
    /// transaction begun on it is a savepoint of the unit's, and its commands run in the unit's transaction once that
    /// is open.
    /// </summary>
    private sealed class UnitConnection(RequestUnitOfWork unit, DbConnection inner) : DbConnection
    {
        public RequestUnitOfWork Unit { get; } = unit;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string ConnectionString
        {
            get => inner.ConnectionString;
            set => throw new NotSupportedException("A unit of work's connection is not configured by its users.");
        }

        public override string Database => inner.Database;

        public override string DataSource => inner.DataSource;

        public override string ServerVersion => inner.ServerVersion;

        public override ConnectionState State => Unit._ended ? ConnectionState.Closed : ConnectionState.Open;

        public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

        public override void Open()
        {
        }

        public override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Close()
        {
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        protected override void Dispose(bool disposing)
        {
        }

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
            BeginDbTransactionAsync(isolationLevel, CancellationToken.None).AsTask().GetAwaiter().GetResult();

        protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel,
            CancellationToken cancellationToken)
        {
            await Unit.SavepointAsync(cancellationToken);
            return new UnitTransaction(this);
        }

        protected override DbCommand CreateDbCommand() => new UnitCommand(this, inner.CreateCommand());
    }
}
