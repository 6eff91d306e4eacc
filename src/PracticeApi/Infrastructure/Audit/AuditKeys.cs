using System.Text.Json;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// How the audit tables hold ids, the one place that knows it. Audit data is kept for years (NEN 7513) and every read
/// adds to it, so in SQLite its ids are 16-byte blobs, most significant byte first (so version-7 ids sort by time, and
/// the byte order is the text form's), instead of 36-character text, in the rows and in every index; an event's clients
/// are their ids end to end. SQL Server keeps uniqueidentifier, and the clients as a JSON array. Every reader of a GUID
/// blob decodes this byte order (<see cref="Data.DapperTypeHandlers"/>, the kept-statement rows): there is no other.
/// </summary>
public static class AuditKeys
{
    public static object? Of(DatabaseProvider provider, Guid? id) =>
        id is not { } value ? null : provider == DatabaseProvider.Sqlite ? value.ToByteArray(bigEndian: true) : value;

    public static object? Of(Db db, Guid? id) => Of(db.Provider, id);

    /// <summary>An event's clients as stored with it (null for none).</summary>
    public static object? Clients(DatabaseProvider provider, IReadOnlyList<Guid> clients)
    {
        if (clients.Count == 0) return null;
        if (provider != DatabaseProvider.Sqlite) return JsonSerializer.Serialize(clients);
        var bytes = new byte[clients.Count * 16];
        for (var i = 0; i < clients.Count; i++) clients[i].TryWriteBytes(bytes.AsSpan(i * 16, 16),
            bigEndian: true, out _);
        return bytes;
    }

    /// <summary>Reads <see cref="Clients"/> back, from either engine.</summary>
    public static IReadOnlyList<Guid> ParseClients(object? stored) => stored switch
    {
        byte[] bytes => Enumerable.Range(0, bytes.Length / 16).Select(i => new Guid(bytes.AsSpan(i * 16, 16),
            bigEndian: true)).ToList(),
        string json => JsonSerializer.Deserialize<List<Guid>>(json) ?? [],
        _ => [],
    };
}
