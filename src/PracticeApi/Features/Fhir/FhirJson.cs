using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Fhir;

/// <summary>FHIR R4 JSON for the product's records. Resources are built as JSON nodes: only what is mapped is
/// written.</summary>
internal static partial class FhirJson
{
    public const string MediaType = "application/fhir+json";
    public const string TherapistSystem = "urn:practiceapi:therapist";

    /// <summary>
    /// A template's canonical URL: stable whatever host serves it, and a valid canonical with a version suffix
    /// (<c>urn:uuid:…|1</c> is not, and strict clients refuse it).
    /// </summary>
    public static string QuestionnaireUrl(Guid templateId) =>
        $"https://practiceapi.dev/fhir/Questionnaire/{templateId}";

    public static string Instant(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc)
        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonObject Meta(int version,
        DateTime lastUpdated) => new() { ["versionId"] = version.ToString(
            CultureInfo.InvariantCulture), ["lastUpdated"] = Instant(lastUpdated) };

    private static JsonObject Reference(string type, string id) => new() { ["reference"] = $"{type}/{id}" };

    private static JsonArray Identifiers(IEnumerable<Identifier> identifiers) =>
        new(identifiers.Select(i => (JsonNode)new JsonObject { ["system"] = i.System, ["value"] = i.Value }).ToArray());

    public static JsonObject Patient(ClientResponse c)
    {
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient", ["id"] = c.Id.ToString(), ["meta"] = Meta(c.Version, c.UpdatedAt),
            ["active"] = c.Status == ClientStatus.Active,
            ["name"] = new JsonArray(new JsonObject { ["family"] = c.LastName,
                ["given"] = new JsonArray(c.FirstName) }),
            ["communication"] = new JsonArray(new JsonObject
            {
                ["language"] = new JsonObject { ["coding"] = new JsonArray(
                    new JsonObject { ["system"] = "urn:ietf:bcp:47", ["code"] = c.PreferredLanguage.Wire() }) },
                ["preferred"] = true,
            }),
        };
        if (c.Identifiers.Count > 0) patient["identifier"] = Identifiers(c.Identifiers);
        var telecom = new JsonArray();
        if (c.Email is not null) telecom.Add(new JsonObject { ["system"] = "email", ["value"] = c.Email });
        if (c.Phone is not null) telecom.Add(new JsonObject { ["system"] = "phone", ["value"] = c.Phone });
        if (telecom.Count > 0) patient["telecom"] = telecom;
        if (c.DateOfBirth is { } born) patient["birthDate"] = Date(born);
        return patient;
    }

    /// <summary>
    /// The partner, as the patient's RelatedPerson (relationship: significant other), id {coupleId}-{0|1} by the
    /// patient's place in the couple. Not Patient.link: in R4 every link type means "the same person", which could
    /// merge partners.
    /// </summary>
    public static JsonObject RelatedPerson(Couples.CoupleRow couple, int index, ClientResponse partner)
    {
        var patient = index == 0 ? couple.PartnerAId : couple.PartnerBId;
        var related = new JsonObject
        {
            ["resourceType"] = "RelatedPerson", ["id"] = $"{couple.Id}-{index}", ["meta"] = Meta(couple.Version,
                couple.UpdatedAt),
            ["active"] = couple.Status != CoupleStatus.Closed.Wire(),
            ["patient"] = Reference("Patient", patient.ToString()),
            ["relationship"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v3-RoleCode", ["code"] = "SIGOTHR", ["display"] = "significant other",
                }),
                ["text"] = "partner",
            }),
            ["name"] = new JsonArray(new JsonObject { ["family"] = partner.LastName,
                ["given"] = new JsonArray(partner.FirstName) }),
        };
        return related;
    }

    public static JsonObject Appointment(SessionResponse s)
    {
        var status = s.Status switch
        {
            SessionStatus.Scheduled => "booked",
            SessionStatus.Completed => "fulfilled",
            SessionStatus.NoShow => "noshow",
            _ => "cancelled",
        };
        var participants = s.Participants.Select(p => (JsonNode)new JsonObject
        {
            ["actor"] = Reference("Patient", p.ClientId.ToString()),
            ["status"] = "accepted",
        }).ToList();
        participants.Add(new JsonObject
        {
            ["actor"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = TherapistSystem, ["value"] = s.TherapistId.ToString() } },
            ["status"] = "accepted",
        });
        var appointment = new JsonObject
        {
            ["resourceType"] = "Appointment", ["id"] = s.Id.ToString(), ["meta"] = Meta(s.Version,
                s.UpdatedAt), ["status"] = status,
            ["appointmentType"] = new JsonObject { ["text"] = s.Kind.Wire() }, ["serviceType"] = new JsonArray(
                new JsonObject { ["text"] = s.Modality.Wire() }),
            ["start"] = Instant(s.StartsAt), ["end"] = Instant(s.EndsAt), ["minutesDuration"] = s.DurationMinutes,
            ["participant"] = new JsonArray(participants.ToArray()),
        };
        if (s.Identifiers.Count > 0) appointment["identifier"] = Identifiers(s.Identifiers);
        if (s.Cancellation is { } cancelled) appointment["cancelationReason"] = new JsonObject { ["text"] = cancelled.ByClient ? "cancelled by the client" : "cancelled by the practice" };
        return appointment;
    }

    public static string QuestionnaireId(Guid templateId, int version) => $"{templateId}-v{version}";

    public static JsonObject Questionnaire(TemplateRow t)
    {
        return new JsonObject
        {
            ["resourceType"] = "Questionnaire", ["id"] = QuestionnaireId(t.Id, t.Version), ["meta"] = Meta(t.Version,
                t.CreatedAt),
            ["url"] = QuestionnaireUrl(t.Id), ["version"] = t.Version.ToString(
                CultureInfo.InvariantCulture), ["title"] = t.TitleEn, ["status"] = "active",
            ["description"] = t.InstructionsEn, ["date"] = Instant(t.CreatedAt),
            ["item"] = new JsonArray(t.FieldList.Select(f => (JsonNode)Item(f)).ToArray()),
        };

        static JsonObject Item(FieldDefinition f)
        {
            var item = new JsonObject { ["linkId"] = f.Key, ["text"] = f.Label.En, ["required"] = f.Required };
            switch (f.Type)
            {
                case FieldType.Choice or FieldType.MultiChoice:
                    item["type"] = "choice";
                    item["repeats"] = f.Type == FieldType.MultiChoice;
                    item["answerOption"] = new JsonArray(f.Options!.Select(o => (JsonNode)new JsonObject
                    {
                        ["valueCoding"] = new JsonObject { ["code"] = o.Value, ["display"] = o.Label.En },
                    }).ToArray());
                    break;
                case FieldType.Table:
                    item["type"] = "group";
                    item["repeats"] = true;
                    item["item"] = new JsonArray(f.Columns!.Select(c => (JsonNode)new JsonObject { ["linkId"] = $"{f.Key}.{c.Key}", ["text"] = c.Label.En, ["type"] = "string" }).ToArray());
                    break;
                default:
                    item["type"] = f.Type switch
                    {
                        FieldType.Text => "string",
                        FieldType.LongText => "text",
                        FieldType.Scale => "integer",
                        FieldType.Boolean => "boolean",
                        _ => "date",
                    };
                    break;
            }

            return item;
        }
    }

    public static JsonObject QuestionnaireResponse(ResponseResponse r, TemplateRow template, string taskId)
    {
        var answers = r.Answers;
        var items = new JsonArray();
        foreach (var field in template.FieldList)
        {
            if (!answers.TryGetProperty(field.Key, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (field.Type == FieldType.Table)
            {
                foreach (var row in value.EnumerateArray())
                {
                    var cells = row.EnumerateObject().Select(c => (JsonNode)new JsonObject
                    {
                        ["linkId"] = $"{field.Key}.{c.Name}", ["answer"] = new JsonArray(
                            new JsonObject { ["valueString"] = c.Value.GetString() }),
                    }).ToArray();
                    items.Add(new JsonObject { ["linkId"] = field.Key, ["item"] = new JsonArray(cells) });
                }

                continue;
            }

            var values = field.Type == FieldType.MultiChoice ? value.EnumerateArray().ToList() : [value];
            items.Add(new JsonObject { ["linkId"] = field.Key,
                ["answer"] = new JsonArray(values.Select(v => (JsonNode)Answer(field, v)).ToArray()) });
        }

        return new JsonObject
        {
            ["resourceType"] = "QuestionnaireResponse", ["id"] = r.Id.ToString(), ["meta"] = Meta(r.Revision,
                r.Review?.ReviewedAt ?? r.SubmittedAt),
            ["questionnaire"] = $"{QuestionnaireUrl(template.Id)}|{template.Version}", ["status"] = "completed",
            ["subject"] = Reference("Patient", r.RespondentId.ToString()), ["source"] = Reference("Patient",
                r.RespondentId.ToString()),
            ["basedOn"] = new JsonArray(Reference("Task",
                taskId)), ["authored"] = Instant(r.SubmittedAt), ["item"] = items,
        };

        static JsonObject Answer(FieldDefinition field, JsonElement v) => field.Type switch
        {
            FieldType.Choice or FieldType.MultiChoice =>
                new JsonObject { ["valueCoding"] = new JsonObject { ["code"] = v.GetString() } },
            FieldType.Scale => new JsonObject { ["valueInteger"] = v.GetInt32() },
            FieldType.Boolean => new JsonObject { ["valueBoolean"] = v.GetBoolean() },
            FieldType.Date => new JsonObject { ["valueDate"] = v.GetString() },
            _ => new JsonObject { ["valueString"] = v.GetString() },
        };
    }

    public static string TaskId(Guid assignmentId, DateOnly date, int respondentIndex) =>
        $"{assignmentId}-{date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{respondentIndex}";

    public static JsonObject Task(AssignmentRow a, TemplateRow template, OccurrenceResponse o, int respondentIndex)
    {
        var status = a.Status == AssignmentStatus.Cancelled.Wire() && o.Status == OccurrenceStatus.Upcoming
            ? "cancelled" : o.Status switch
        {
            OccurrenceStatus.Done or OccurrenceStatus.Late => "completed",
            OccurrenceStatus.Missed => "failed",
            _ => "requested",
        };
        var task = new JsonObject
        {
            ["resourceType"] = "Task", ["id"] = TaskId(a.Id, o.Date, respondentIndex), ["meta"] = Meta(a.Version,
                o.AnsweredAt ?? a.UpdatedAt),
            ["status"] = status, ["intent"] = "order", ["description"] = template.TitleEn,
            ["focus"] = Reference("Questionnaire", QuestionnaireId(template.Id, template.Version)),
            ["for"] = Reference("Patient", o.RespondentId.ToString()), ["owner"] = Reference("Patient",
                o.RespondentId.ToString()),
            ["authoredOn"] = Instant(a.CreatedAt), ["restriction"] = new JsonObject { ["period"] = new JsonObject { ["end"] = Instant(o.DueAt) } },
        };
        if (o.ResponseId is { } responseId)
        {
            task["output"] = new JsonArray(new JsonObject
            {
                ["type"] = new JsonObject { ["text"] = "response" }, ["valueReference"] = Reference(
                    "QuestionnaireResponse", responseId.ToString()),
            });
        }

        return task;
    }

    public static JsonObject CarePlan(Couples.CoupleRow couple, Guid partner, int index, IEnumerable<string> taskIds)
    {
        var plan = new JsonObject
        {
            ["resourceType"] = "CarePlan", ["id"] = $"{couple.Id}-{index}", ["meta"] = Meta(couple.Version,
                couple.UpdatedAt),
            ["status"] = ClosedSets.Parse<CoupleStatus>(couple.Status) switch
                { CoupleStatus.Active => "active", CoupleStatus.Paused => "on-hold", _ => "completed" },
            ["intent"] = "plan",
            ["title"] = "Trust repair",
            ["description"] = $"Step {couple.CurrentStep} of 7: {Couples.RepairCase.StepName(couple.CurrentStep).En}",
            ["subject"] = Reference("Patient", partner.ToString()),
            ["period"] = new JsonObject { ["start"] = Date(couple.StartedOn) },
            ["created"] = Instant(couple.CreatedAt),
        };
        var activities = taskIds.Select(t => (JsonNode)new JsonObject { ["reference"] = Reference("Task",
            t) }).ToArray();
        if (activities.Length > 0) plan["activity"] = new JsonArray(activities);
        return plan;
    }

    public static JsonObject Outcome(string severity, string code, string diagnostics) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = severity, ["code"] = code,
            ["diagnostics"] = diagnostics }),
    };

    public static JsonObject Bundle(string selfUrl, string? nextUrl, IEnumerable<JsonObject> resources,
        string baseUrl, int? total)
    {
        var links = new JsonArray(new JsonObject { ["relation"] = "self", ["url"] = selfUrl });
        if (nextUrl is not null) links.Add(new JsonObject { ["relation"] = "next", ["url"] = nextUrl });
        var entries = resources.Select(r => (JsonNode)new JsonObject
        {
            ["fullUrl"] = $"{baseUrl}/{r["resourceType"]}/{r["id"]}", ["resource"] = r, ["search"] = new JsonObject { ["mode"] = "match" },
        }).ToArray();
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset" };
        if (total is not null) bundle["total"] = total;
        bundle["link"] = links;
        // FHIR JSON has no empty arrays: an empty search result has no entry element.
        if (entries.Length > 0) bundle["entry"] = new JsonArray(entries);
        return bundle;
    }
}
