namespace PracticeApi.Infrastructure.Data.Sqlite;

/// <summary>A command text that is not one of the application's SQL constants (see <see
/// cref="SqlCatalogue"/>).</summary>
public sealed class UnknownStatementException(string sql)
    : InvalidOperationException(
        $"SQL that is not in the statement catalogue (declare it as a const string of its store): {sql}");
