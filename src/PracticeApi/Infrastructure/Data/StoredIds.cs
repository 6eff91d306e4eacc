using System.Data;
using System.Text.Json;

namespace PracticeApi.Infrastructure.Data;

/// <summary>
/// How every id rests in SQLite, the one place that knows it: a 16-byte blob, most significant byte first, in every
/// table, key and index (migration V029 converted the text ids of earlier versions). That order is the text form's, so
/// keyset pages and version-7 ids sort as they did, and a key is less than half the size of its 36 characters of text.
/// Every way of binding a <see cref="Guid"/> on SQLite (the Dapper handler, list expansion, the kept statements, the
/// repeated commands) writes this form, and every reader decodes it; SQL Server keeps uniqueidentifier. A list of ids
/// in one column (an audit event's clients, an export file's) is their blobs end to end in SQLite, a JSON array in SQL
/// Server.
/// </summary>
public static class StoredIds
{
    public static byte[] ToBlob(Guid id) => id.ToByteArray(bigEndian: true);

    /// <summary>Writes an id's 16 bytes into <paramref name="blob"/> (a list's slot, or the stack).</summary>
    public static void Write(Guid id, Span<byte> blob) => id.TryWriteBytes(blob, bigEndian: true, out _);

    public static Guid FromBlob(ReadOnlySpan<byte> blob) => blob.Length == 16
        ? new Guid(blob, bigEndian: true)
        : throw new DataException($"An id is stored as 16 bytes; this value has {blob.Length}.");

    /// <summary>A list of ids as one column stores it.</summary>
    public static object List(DatabaseProvider provider, IReadOnlyCollection<Guid> ids)
    {
        if (provider != DatabaseProvider.Sqlite) return JsonSerializer.Serialize(ids);
        var bytes = new byte[ids.Count * 16];
        var at = 0;
        foreach (var id in ids)
        {
            Write(id, bytes.AsSpan(at, 16));
            at += 16;
        }

        return bytes;
    }

    /// <summary>Reads <see cref="List"/> back, from either engine (none for null).</summary>
    public static IReadOnlyList<Guid> ParseList(object? stored) => stored switch
    {
        byte[] bytes when bytes.Length % 16 == 0 => Enumerable.Range(0, bytes.Length / 16)
            .Select(i => FromBlob(bytes.AsSpan(i * 16, 16))).ToList(),
        string json => JsonSerializer.Deserialize<List<Guid>>(json) ?? [],
        null or DBNull => [],
        _ => throw new DataException("A list of ids is stored as 16-byte blobs end to end, or as a JSON array."),
    };
}
