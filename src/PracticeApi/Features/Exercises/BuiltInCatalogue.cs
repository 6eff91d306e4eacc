using System.Security.Cryptography;
using System.Text;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Exercises;

/// <summary>A template as the product ships it.</summary>
public sealed record TemplateDefinition(
    string Key, int Version, LocalizedText Title, LocalizedText Instructions, string Audience, string DefaultCadence,
    int EstimatedMinutes, IReadOnlyList<int> Steps, bool Conjoint, IReadOnlyList<FieldDefinition> Fields);

/// <summary>
/// The exercises that ship with the product, drawn from the source material: the trust-repair exercises and seven
/// steps (seed 003), jointly agreed boundaries and daily accountability in addiction recovery (seed 000), and
/// building a support network (seed 002). Read-only to practices; a change here is a new version.
/// </summary>
public static class BuiltInCatalogue
{
    /// <summary>Built-in templates belong to no practice; this id stands for "the product".</summary>
    public static readonly Guid ProductPracticeId = Guid.Empty;

    public static Guid IdFor(string key)
    {
        // A name-based id: the same key gives the same template id on every installation.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("practiceapi:exercise-template:" + key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static LocalizedText L(string en, string nl) => new(en, nl);

    private static FieldDefinition Text(string key, string en, string nl, bool required = true) => new(key, FieldTypes.Text, L(en, nl), required);

    private static FieldDefinition Long(string key, string en, string nl, bool required = true) => new(key, FieldTypes.LongText, L(en, nl), required);

    private static FieldDefinition Scale(string key, string en, string nl, int min, int max, bool required = true) =>
        new(key, FieldTypes.Scale, L(en, nl), required, Min: min, Max: max);

    private static FieldDefinition Table(string key, string en, string nl, params TableColumn[] columns) =>
        new(key, FieldTypes.Table, L(en, nl), true, Columns: columns);

    private static TableColumn Column(string key, string en, string nl) => new(key, L(en, nl));

    public const string DailyCheckInKey = "daily_check_in";
    public const string MoodField = "mood";

    public static readonly IReadOnlyList<TemplateDefinition> All =
    [
        new(DailyCheckInKey, 1,
            L("Daily check-in", "Dagelijkse check-in"),
            L("Each evening, take five minutes each. Describe your mood as weather, say what you need from your partner tomorrow, and name one thing you were grateful for today. Read each other's answers when the assignment allows it, without debating them.",
              "Neem elke avond ieder vijf minuten. Beschrijf je stemming als weer, zeg wat je morgen van je partner nodig hebt en noem één ding waar je vandaag dankbaar voor was. Lees elkaars antwoorden wanneer de opdracht dat toelaat, zonder erover in discussie te gaan."),
            "couple_each_partner", "daily", 5, [5, 6, 7], false,
            [
                new(MoodField, FieldTypes.Choice, L("My mood today, as weather", "Mijn stemming vandaag, als weer"), true,
                    Options: [new("sunny", L("Sunny", "Zonnig")), new("cloudy", L("Cloudy", "Bewolkt")), new("stormy", L("Stormy", "Stormachtig"))]),
                Text("need_from_you", "What I need from you today", "Wat ik vandaag van je nodig heb"),
                Text("grateful_for", "One thing I am grateful for", "Eén ding waar ik dankbaar voor ben"),
            ]),

        new("trust_contract", 1,
            L("Trust contract", "Vertrouwenscontract"),
            L("Write down together, per area of your life, one concrete agreement and how you will both be able to tell that it is kept. Keep agreements small and checkable. Review the contract every month: what works, what needs adjusting, what can go.",
              "Schrijf samen per levensgebied één concrete afspraak op en hoe jullie allebei kunnen zien dat die wordt nagekomen. Houd afspraken klein en toetsbaar. Bespreek het contract elke maand: wat werkt, wat moet anders, wat mag weg."),
            "couple_joint", "monthly", 30, [4, 5], true,
            [
                Table("lines", "Our agreements", "Onze afspraken",
                    Column("area", "Area", "Gebied"), Column("agreement", "Concrete agreement", "Concrete afspraak"),
                    Column("measure", "How we can tell it is kept", "Hoe we zien dat het wordt nagekomen")),
            ]),

        new("letter_of_responsibility", 1,
            L("Letter of responsibility", "Brief van verantwoordelijkheid"),
            L("For the partner who broke the trust. Write a letter that names what you did without excuses or blame, what it did to your partner, why it happened as far as you understand it now, what you are going to do differently, and what you need from your partner to keep going. Bring it to the next session; do not hand it over unprepared.",
              "Voor de partner die het vertrouwen heeft beschadigd. Schrijf een brief die benoemt wat je deed, zonder excuses of schuld afschuiven, wat het met je partner deed, waarom het gebeurde voor zover je dat nu begrijpt, wat je anders gaat doen, en wat je van je partner nodig hebt om door te gaan. Neem hem mee naar de volgende sessie; geef hem niet onvoorbereid af."),
            "role_breaching", "once", 60, [1], false,
            [
                Long("what_i_did", "What I did", "Wat ik heb gedaan"),
                Long("impact_on_you", "What it did to you", "Wat het met jou heeft gedaan"),
                Long("why_it_happened", "Why it happened, as I understand it now", "Waarom het gebeurde, zoals ik het nu begrijp"),
                Long("what_i_will_do", "What I will do differently", "Wat ik anders ga doen"),
                Long("what_i_need", "What I need from you", "Wat ik van jou nodig heb"),
            ]),

        new("trigger_plan", 1,
            L("Trigger plan", "Triggerplan"),
            L("Agree together what happens when one of you is triggered by a reminder of the breach. Each of you describes your own triggers, the steps you take yourself, what you ask of the other, and what you will do when the other is the one who is triggered.",
              "Spreek samen af wat er gebeurt wanneer een van jullie getriggerd wordt door iets dat aan de breuk herinnert. Ieder beschrijft de eigen triggers, de stappen die je zelf zet, wat je van de ander vraagt en wat jij doet wanneer de ander getriggerd is."),
            "couple_each_partner", "once", 30, [4, 6], true,
            [
                Long("my_triggers", "What triggers me", "Wat mij triggert"),
                Long("my_steps", "The steps I take myself", "De stappen die ik zelf zet"),
                Long("what_i_ask_of_you", "What I ask of you then", "Wat ik dan van jou vraag"),
                Long("when_you_are_triggered", "What I do when you are triggered", "Wat ik doe als jij getriggerd bent"),
            ]),

        new("underlying_causes", 1,
            L("Underlying causes", "Onderliggende oorzaken"),
            L("Each of you reflects alone on what was missing in the relationship before the breach and which needs went unmet, on both sides. This is about understanding, not about excusing what happened.",
              "Ieder denkt voor zich na over wat er in de relatie ontbrak vóór de breuk en welke behoeften aan beide kanten onvervuld bleven. Het gaat om begrijpen, niet om goedpraten wat er gebeurde."),
            "couple_each_partner", "once", 45, [3], false,
            [
                Long("what_was_missing", "What was missing between us before", "Wat er eerder tussen ons ontbrak"),
                Long("unmet_needs", "Which needs went unmet, mine and yours", "Welke behoeften onvervuld bleven, van mij en van jou"),
                Long("what_i_see_now", "What I see differently now", "Wat ik nu anders zie", required: false),
            ]),

        new("agreed_boundaries", 1,
            L("Boundaries we agree on", "Grenzen die we samen afspreken"),
            L("Set boundaries together, for example around sobriety, contact with others, phone use or personal space. A boundary protects the repair; it is not a way to control the other. Write down why each one matters and what happens if it is crossed.",
              "Stel samen grenzen op, bijvoorbeeld rond nuchterheid, contact met anderen, telefoongebruik of persoonlijke ruimte. Een grens beschermt het herstel; het is geen middel om de ander te controleren. Schrijf op waarom elke grens belangrijk is en wat er gebeurt als hij wordt overschreden."),
            "couple_joint", "once", 40, [4], true,
            [
                Table("boundaries", "Our boundaries", "Onze grenzen",
                    Column("boundary", "Boundary", "Grens"), Column("why", "Why it matters", "Waarom die belangrijk is"),
                    Column("if_crossed", "What happens if it is crossed", "Wat er gebeurt bij overschrijding")),
            ]),

        new("accountability_log", 1,
            L("Accountability log", "Logboek van afspraken nakomen"),
            L("Once a week, record the small acts that show commitment to recovery: support meetings attended, appointments kept, check-ins made. Steady, visible follow-through is what rebuilds trust.",
              "Noteer wekelijks de kleine daden die laten zien dat je werkt aan herstel: bezochte steunbijeenkomsten, nagekomen afspraken, gedane check-ins. Trouw en zichtbaar volhouden is wat vertrouwen herstelt."),
            "individual", "weekly", 10, [5], false,
            [
                Scale("meetings_attended", "Support meetings attended this week", "Steunbijeenkomsten bezocht deze week", 0, 21),
                new("appointments_kept", FieldTypes.Boolean, L("I kept all my appointments", "Ik ben al mijn afspraken nagekomen"), true),
                Scale("check_ins_made", "Check-ins made this week", "Check-ins gedaan deze week", 0, 21),
                Long("notes", "What went well, what was hard", "Wat ging goed, wat was moeilijk", required: false),
            ]),

        new("support_network", 1,
            L("Building my support network", "Mijn steunnetwerk opbouwen"),
            L("List the people around you: family, friends, colleagues, a sponsor, a support group, professionals. Note for each whether the contact helps your recovery, strains it, or both, and what you will ask of them. Be clear about what you need; choose people who do not judge you.",
              "Zet de mensen om je heen op een rij: familie, vrienden, collega's, een sponsor, een steungroep, hulpverleners. Noteer per persoon of het contact je herstel helpt, belast of allebei, en wat je van hen gaat vragen. Wees duidelijk over wat je nodig hebt; kies mensen die je niet veroordelen."),
            "individual", "once", 30, [4, 5], false,
            [
                Table("people", "People in my network", "Mensen in mijn netwerk",
                    Column("name", "Who", "Wie"), Column("relationship", "Relationship", "Relatie"),
                    Column("effect", "Helps, strains or both", "Helpt, belast of allebei"), Column("ask", "What I ask of them", "Wat ik van hen vraag")),
                Text("first_call", "Who I call first when it gets hard", "Wie ik als eerste bel als het moeilijk wordt"),
            ]),

        new("rituals_of_connection", 1,
            L("Rituals of connection", "Rituelen van verbinding"),
            L("Choose together one small daily ritual, one weekly moment and one monthly outing that are only about the two of you, and look back each week on how they went. Make connection a priority, not an afterthought.",
              "Kies samen één klein dagelijks ritueel, één wekelijks moment en één maandelijks uitje dat alleen over jullie tweeën gaat, en kijk elke week terug hoe het ging. Maak verbinding een prioriteit, geen bijzaak."),
            "couple_joint", "weekly", 20, [7], true,
            [
                Text("daily", "Our daily ritual", "Ons dagelijkse ritueel"),
                Text("weekly", "Our weekly moment", "Ons wekelijkse moment"),
                Text("monthly", "Our monthly outing", "Ons maandelijkse uitje"),
                Scale("how_it_went", "How connected we felt this week", "Hoe verbonden we ons deze week voelden", 0, 10, required: false),
            ]),

        new("weekly_trust_rating", 1,
            L("Weekly trust and connection rating", "Wekelijkse score voor vertrouwen en verbinding"),
            L("Once a week, each of you rates on your own how much trust and how much connection you felt, from 0 to 10. Trends over weeks matter more than any single score.",
              "Geef elke week ieder voor zich een cijfer van 0 tot 10 voor hoeveel vertrouwen en hoeveel verbinding je voelde. Het verloop over weken zegt meer dan één losse score."),
            "couple_each_partner", "weekly", 5, [5, 7], false,
            [
                Scale("trust", "Trust this week", "Vertrouwen deze week", 0, 10),
                Scale("connection", "Connection this week", "Verbinding deze week", 0, 10),
                Long("comment", "Anything you want to add", "Wat je verder kwijt wilt", required: false),
            ]),

        new("milestone_celebration", 1,
            L("Celebrating a milestone", "Een mijlpaal vieren"),
            L("Mark a step forward together, such as three months without a big fight or the first holiday since the crisis. Write down what you achieved, what helped you get there and how you will celebrate it. Small victories count.",
              "Sta samen stil bij een stap vooruit, zoals drie maanden zonder grote ruzie of de eerste vakantie sinds de crisis. Schrijf op wat jullie bereikten, wat daarbij hielp en hoe jullie het vieren. Kleine overwinningen tellen."),
            "couple_joint", "once", 20, [7], true,
            [
                Text("milestone", "Our milestone", "Onze mijlpaal"),
                new("reached_on", FieldTypes.Date, L("When we reached it", "Wanneer we die bereikten"), false),
                Long("what_helped", "What helped us get here", "Wat ons hierbij hielp"),
                Text("celebration", "How we celebrate", "Hoe we het vieren"),
            ]),
    ];
}
