namespace PracticeApi.Features.Clients;

/// <summary>
/// A client's details as stored, shared by the operations that write them: trimmed, the e-mail address in lower case,
/// the name searchable in lower case, Dutch unless another language is given.
/// </summary>
internal sealed record ClientDetails(Guid Id, Guid PracticeId, string FirstName, string LastName, string SearchName,
    DateOnly? DateOfBirth, string? Email, string? Phone, string PreferredLanguage, string? Pronouns, DateTime Now, int? Expected)
{
    private const string BumpSql = """
        UPDATE Clients SET Version = Version + 1, UpdatedAt = @Now, Status = COALESCE(@Status, Status)
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    public static ClientDetails Of(Caller caller, Guid id, string first, string last, DateOnly? born, string? email,
        string? phone, string? language, string? pronouns, DateTime now, int? expected) =>
        new(id, caller.PracticeId, first.Trim(), last.Trim(), $"{first.Trim()} {last.Trim()}".ToLowerInvariant(), born,
            email?.Trim().ToLowerInvariant(), phone?.Trim(), language ?? "nl", pronouns?.Trim(), now, expected);

    /// <summary>A new version of the client, with a new status when one is given.</summary>
    public static Task BumpAsync(DbWrite c, Guid practiceId, Guid id, int expected, string? status, DateTime now) =>
        c.ExecuteAsync(BumpSql, new { Id = id, PracticeId = practiceId, Expected = expected, Status = status,
            Now = now });

    public static Failure DuplicateIdentifier(Identifier clash) =>
        Failure.Conflict("duplicate-identifier", "Identifier already in use",
            $"Another record of this practice already holds identifier {clash.System}|{clash.Value}.");
}
