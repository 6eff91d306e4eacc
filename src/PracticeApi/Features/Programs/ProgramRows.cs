using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Programs;

internal sealed record ProgramRow : Exercises.VersionedRow
{
    public string DescriptionEn { get; init; } = "";
    public string DescriptionNl { get; init; } = "";
    public string Items { get; init; } = "[]";
    public DateTime CreatedAt { get; init; }

    public LocalizedText Title => new(TitleEn, TitleNl);

    public IReadOnlyList<ProgramItem> ItemList => StoredJson.Read<List<ProgramItem>>(Items) ?? [];

    public ProgramResponse ToResponse() =>
        new(Id, Key, Version, CurrentVersion, IsBuiltIn, Title, new LocalizedText(DescriptionEn, DescriptionNl),
            ItemList, CreatedAt);
}

internal sealed record EnrolmentRow
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public Guid CoupleId { get; init; }
    public Guid ProgramId { get; init; }
    public int ProgramVersion { get; init; }
    public string Status { get; init; } = "";
    public DateOnly StartedOn { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? EndedAt { get; init; }
}
