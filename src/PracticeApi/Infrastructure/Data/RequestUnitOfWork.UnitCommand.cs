using System.Data;
using System.Data.Common;
using PracticeApi.Infrastructure.Data.Sqlite;

namespace PracticeApi.Infrastructure.Data;

public sealed partial class RequestUnitOfWork
{
    /// <summary>
    /// A command on the unit's connection: it runs in the unit's transaction once that is open (a write opens it),
    /// whatever transaction its user passed, so a read after a write sees it and no write escapes the unit.
    /// </summary>
    private sealed class UnitCommand(UnitConnection connection, DbCommand inner) : DbCommand
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText
        {
            get => inner.CommandText;
            set => inner.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => inner.CommandTimeout;
            set => inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => inner.CommandType;
            set => inner.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => inner.DesignTimeVisible;
            set => inner.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => inner.UpdatedRowSource;
            set => inner.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                if (value is null || ReferenceEquals(value, connection) || (value is UnitConnection other
                    && other.Unit == connection.Unit)) return;
                throw new InvalidOperationException(
                    "A command of a request's unit of work stays on the unit's connection.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel() => inner.Cancel();

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        private async Task EnlistAsync(CancellationToken ct)
        {
            var unit = connection.Unit;
            inner.Transaction = unit.HoldsWrite || PracticeSqliteConnection.IsWrite(inner.CommandText)
                ? await unit.TransactionAsync(ct) : null;
        }

        private void Enlist() => EnlistAsync(CancellationToken.None).GetAwaiter().GetResult();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Enlist();
            return inner.ExecuteReader(behavior);
        }

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior,
            CancellationToken cancellationToken)
        {
            await EnlistAsync(cancellationToken);
            return await inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        public override int ExecuteNonQuery()
        {
            Enlist();
            return inner.ExecuteNonQuery();
        }

        public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            await EnlistAsync(cancellationToken);
            return await inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override object? ExecuteScalar()
        {
            Enlist();
            return inner.ExecuteScalar();
        }

        public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            await EnlistAsync(cancellationToken);
            return await inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
