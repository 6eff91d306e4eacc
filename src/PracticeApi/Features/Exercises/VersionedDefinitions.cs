using System.Data.Common;
using Dapper;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;

namespace PracticeApi.Features.Exercises;

/// <summary>
/// What exercise templates and programs share: the product's built-in definitions, kept in the database beside the
/// practices' own (PracticeId = the all-zero id) and versioned; a practice's own are changed by new versions, built-ins never.
/// </summary>
internal static class VersionedDefinitions
{
    private sealed record VersionRow
    {
        public Guid Id { get; init; }
        public int CurrentVersion { get; init; }
    }

    /// <summary>Writes the built-in definitions (and new versions of them) that this database does not hold yet, in one transaction.</summary>
    /// <param name="versionsSql">Selects Id and CurrentVersion of the stored built-ins (bound with @Product).</param>
    /// <param name="write">Writes one definition: (connection, transaction, id, definition, the version stored now or 0).</param>
    public static async Task EnsureBuiltInsAsync<T>(Db db, string versionsSql, IEnumerable<T> definitions, Func<T, Guid> idOf, Func<T, int> versionOf,
        Func<DbConnection, DbTransaction, Guid, T, int, Task> write, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var present = (await connection.QueryAsync<VersionRow>(new CommandDefinition(versionsSql,
            new { Product = BuiltInCatalogue.ProductPracticeId }, tx, cancellationToken: ct))).ToDictionary(r => r.Id, r => r.CurrentVersion);
        foreach (var definition in definitions)
        {
            var id = idOf(definition);
            present.TryGetValue(id, out var current);
            if (current >= versionOf(definition)) continue;
            await write(connection, tx, id, definition, current);
        }

        await tx.CommitAsync(ct);
    }

    /// <param name="kind">"template" or "program".</param>
    public static Failure KeyInUse(string kind, string key) =>
        Failure.Conflict("duplicate-key", $"{Capitalised(kind)} key in use", $"A {kind} with key '{key}' already exists; change it with PUT instead.");

    public static Failure ReadOnly(string kind) =>
        new(StatusCodes.Status403Forbidden, "read-only", $"Built-in {kind}s are read-only",
            $"Built-in {kind}s ship with the product. Create a {kind} of your own (POST) to adapt one.");

    private static string Capitalised(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
