using System.Text.Json;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// How the audit tables hold ids. Audit data is kept for years (NEN 7513) and every read adds to it, so in SQLite its ids
/// are 16-byte blobs (most significant byte first, so version-7 ids sort by time) instead of 36-character text, in the rows
/// and in every index; an event's clients are their ids end to end. SQL Server keeps uniqueidentifier, and the clients as a
/// JSON array. Parameters compared with audit columns go through <see cref="Of(DatabaseProvider, Guid?)"/>; values read back
/// through the Guid type handler, which reads 16-byte blobs.
/// </summary>
public static class AuditKeys
{
    public static object? Of(DatabaseProvider provider, Guid? id) =>
        id is not { } value ? null : provider == DatabaseProvider.Sqlite ? value.ToByteArray(bigEndian: true) : value;

    public static object? Of(Db db, Guid? id) => Of(db.Provider, id);

    /// <summary>An event's clients as stored with it (null for none), distinct, in order.</summary>
    public static object? Clients(DatabaseProvider provider, IReadOnlyCollection<Guid>? clients)
    {
        if (clients is not { Count: > 0 }) return null;
        var distinct = clients.Distinct().ToList();
        if (provider != DatabaseProvider.Sqlite) return JsonSerializer.Serialize(distinct);
        var bytes = new byte[distinct.Count * 16];
        for (var i = 0; i < distinct.Count; i++) distinct[i].TryWriteBytes(bytes.AsSpan(i * 16, 16), bigEndian: true, out _);
        return bytes;
    }

    /// <summary>Reads <see cref="Clients"/> back, from either store.</summary>
    public static IReadOnlyList<Guid> ParseClients(object? stored) => stored switch
    {
        byte[] bytes => Enumerable.Range(0, bytes.Length / 16).Select(i => new Guid(bytes.AsSpan(i * 16, 16), bigEndian: true)).ToList(),
        string json => JsonSerializer.Deserialize<List<Guid>>(json) ?? [],
        _ => [],
    };
}
