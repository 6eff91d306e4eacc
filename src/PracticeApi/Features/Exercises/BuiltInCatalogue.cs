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

    private static FieldDefinition Text(string key, string en, string nl, bool required = true) => new(key,
        FieldType.Text, L(en, nl), required);

    private static FieldDefinition Long(string key, string en, string nl, bool required = true) => new(key,
        FieldType.LongText, L(en, nl), required);

    private static FieldDefinition Scale(string key, string en, string nl, int min, int max, bool required = true) =>
        new(key, FieldType.Scale, L(en, nl), required, Min: min, Max: max);

    private static FieldDefinition Table(string key, string en, string nl, params TableColumn[] columns) =>
        new(key, FieldType.Table, L(en, nl), true, Columns: columns);

    private static TableColumn Column(string key, string en, string nl) => new(key, L(en, nl));

    public const string DailyCheckInKey = "daily_check_in";
    public const string CheckInTogetherKey = "check_in_together";
    public const string LetterKey = "letter_of_responsibility";
    public const string TrustContractKey = "trust_contract";
    public const string TriggerPlanKey = "trigger_plan";
    public const string ReplyKey = "hurt_partner_reply";
    public const string BoundaryReviewKey = "boundary_review";
    public const string MoodField = "mood";

    public static readonly IReadOnlyList<TemplateDefinition> All =
    [
        new(DailyCheckInKey, 2,
            L("Daily check-in", "Dagelijkse check-in"),
            L("Each evening, take five minutes each. Describe your mood as weather, say what you need from your partner today, and name one thing about your partner or your relationship you were grateful for today. Read each other's answers when the assignment allows it, without debating them. Want to talk it through? Use the check-in together as well.",
              "Neem elke avond ieder vijf minuten. Beschrijf je stemming als weer, zeg wat je vandaag van je partner nodig hebt en noem één ding aan je partner of aan jullie relatie waar je vandaag dankbaar voor was. Lees elkaars antwoorden wanneer de opdracht dat toelaat, zonder erover in discussie te gaan. Willen jullie erover praten? Doe dan ook de check-in samen."),
            "couple_each_partner", "daily", 5, [5, 6, 7], false,
            [
                new(MoodField, FieldType.Choice, L("My mood today, as weather",
                    "Mijn stemming vandaag, als weer"), true,
                    Options: [new("sunny", L("Sunny", "Zonnig")), new("cloudy", L("Cloudy", "Bewolkt")), new("stormy",
                        L("Stormy", "Stormachtig"))]),
                Text("need_from_you", "What I need from you today", "Wat ik vandaag van je nodig heb"),
                Text("grateful_for", "Something about you or about us I am grateful for today",
                    "Iets aan jou of aan ons waar ik vandaag dankbaar voor ben"),
            ]),

        new(CheckInTogetherKey, 1,
            L("Check-in together", "Samen inchecken"),
            L("Sit down together for ten minutes, phones away. Take turns: how you feel today, what you need from each other today, and something about the other or about your relationship you are grateful for. Listen without correcting. Afterwards one of you writes down, for both, what you said and how the conversation went.",
              "Ga samen tien minuten zitten, telefoons weg. Om de beurt: hoe je je vandaag voelt, wat je vandaag van elkaar nodig hebt en iets aan de ander of aan jullie relatie waar je dankbaar voor bent. Luister zonder te verbeteren. Schrijf daarna een van jullie voor jullie allebei op wat er gezegd is en hoe het gesprek ging."),
            "couple_joint", "daily", 10, [5, 6, 7], true,
            [
                Text("our_moods", "How each of us felt today", "Hoe we ons ieder vandaag voelden"),
                Long("what_we_need_today", "What we each need from the other today",
                    "Wat we vandaag ieder van de ander nodig hebben"),
                Long("grateful_for_each_other", "What we are grateful for in each other or in us",
                    "Waar we dankbaar voor zijn in elkaar of in ons"),
                Scale("how_the_talk_went", "How the conversation went", "Hoe het gesprek ging", 0, 10, required: false),
            ]),

        new(TrustContractKey, 1,
            L("Trust contract", "Vertrouwenscontract"),
            L("Write down together, per area of your life, one concrete agreement and how you will both be able to tell that it is kept. Keep agreements small and checkable. Review the contract every month: what works, what needs adjusting, what can go.",
              "Schrijf samen per levensgebied één concrete afspraak op en hoe jullie allebei kunnen zien dat die wordt nagekomen. Houd afspraken klein en toetsbaar. Bespreek het contract elke maand: wat werkt, wat moet anders, wat mag weg."),
            "couple_joint", "monthly", 30, [4, 5], true,
            [
                Table("lines", "Our agreements", "Onze afspraken",
                    Column("area", "Area", "Gebied"), Column("agreement", "Concrete agreement", "Concrete afspraak"),
                    Column("measure", "How we can tell it is kept", "Hoe we zien dat het wordt nagekomen")),
            ]),

        new(LetterKey, 1,
            L("Letter of responsibility", "Brief van verantwoordelijkheid"),
            L("For the partner who broke the trust. Write a letter that names what you did without excuses or blame, what it did to your partner, why it happened as far as you understand it now, what you are going to do differently, and what you need from your partner to keep going. Bring it to the next session; do not hand it over unprepared.",
              "Voor de partner die het vertrouwen heeft beschadigd. Schrijf een brief die benoemt wat je deed, zonder excuses of schuld afschuiven, wat het met je partner deed, waarom het gebeurde voor zover je dat nu begrijpt, wat je anders gaat doen, en wat je van je partner nodig hebt om door te gaan. Neem hem mee naar de volgende sessie; geef hem niet onvoorbereid af."),
            "role_breaching", "once", 60, [1], false,
            [
                Long("what_i_did", "What I did", "Wat ik heb gedaan"),
                Long("impact_on_you", "What it did to you", "Wat het met jou heeft gedaan"),
                Long("why_it_happened", "Why it happened, as I understand it now",
                    "Waarom het gebeurde, zoals ik het nu begrijp"),
                Long("what_i_will_do", "What I will do differently", "Wat ik anders ga doen"),
                Long("what_i_need", "What I need from you", "Wat ik van jou nodig heb"),
            ]),

        new(TriggerPlanKey, 1,
            L("Trigger plan", "Triggerplan"),
            L("Agree together what happens when one of you is triggered by a reminder of the breach. Each of you describes your own triggers, the steps you take yourself, what you ask of the other, and what you will do when the other is the one who is triggered.",
              "Spreek samen af wat er gebeurt wanneer een van jullie getriggerd wordt door iets dat aan de breuk herinnert. Ieder beschrijft de eigen triggers, de stappen die je zelf zet, wat je van de ander vraagt en wat jij doet wanneer de ander getriggerd is."),
            "couple_each_partner", "once", 30, [4, 6], true,
            [
                Long("my_triggers", "What triggers me", "Wat mij triggert"),
                Long("my_steps", "The steps I take myself", "De stappen die ik zelf zet"),
                Long("what_i_ask_of_you", "What I ask of you then", "Wat ik dan van jou vraag"),
                Long("when_you_are_triggered", "What I do when you are triggered",
                    "Wat ik doe als jij getriggerd bent"),
            ]),

        new("underlying_causes", 1,
            L("Underlying causes", "Onderliggende oorzaken"),
            L("Each of you reflects alone on what was missing in the relationship before the breach and which needs went unmet, on both sides. This is about understanding, not about excusing what happened.",
              "Ieder denkt voor zich na over wat er in de relatie ontbrak vóór de breuk en welke behoeften aan beide kanten onvervuld bleven. Het gaat om begrijpen, niet om goedpraten wat er gebeurde."),
            "couple_each_partner", "once", 45, [3], false,
            [
                Long("what_was_missing", "What was missing between us before", "Wat er eerder tussen ons ontbrak"),
                Long("unmet_needs", "Which needs went unmet, mine and yours",
                    "Welke behoeften onvervuld bleven, van mij en van jou"),
                Long("what_i_see_now", "What I see differently now", "Wat ik nu anders zie", required: false),
            ]),

        new("agreed_boundaries", 1,
            L("Boundaries we agree on", "Grenzen die we samen afspreken"),
            L("Set boundaries together, for example around sobriety, contact with others, phone use or personal space. A boundary protects the repair; it is not a way to control the other. Write down why each one matters and what happens if it is crossed.",
              "Stel samen grenzen op, bijvoorbeeld rond nuchterheid, contact met anderen, telefoongebruik of persoonlijke ruimte. Een grens beschermt het herstel; het is geen middel om de ander te controleren. Schrijf op waarom elke grens belangrijk is en wat er gebeurt als hij wordt overschreden."),
            "couple_joint", "once", 40, [4], true,
            [
                Table("boundaries", "Our boundaries", "Onze grenzen",
                    Column("boundary", "Boundary", "Grens"), Column("why", "Why it matters",
                        "Waarom die belangrijk is"),
                    Column("if_crossed", "What happens if it is crossed", "Wat er gebeurt bij overschrijding")),
            ]),

        new("accountability_log", 1,
            L("Accountability log", "Logboek van afspraken nakomen"),
            L("Once a week, record the small acts that show commitment to recovery: support meetings attended, appointments kept, check-ins made. Steady, visible follow-through is what rebuilds trust.",
              "Noteer wekelijks de kleine daden die laten zien dat je werkt aan herstel: bezochte steunbijeenkomsten, nagekomen afspraken, gedane check-ins. Trouw en zichtbaar volhouden is wat vertrouwen herstelt."),
            "individual", "weekly", 10, [5], false,
            [
                Scale("meetings_attended", "Support meetings attended this week",
                    "Steunbijeenkomsten bezocht deze week", 0, 21),
                new("appointments_kept", FieldType.Boolean, L("I kept all my appointments",
                    "Ik ben al mijn afspraken nagekomen"), true),
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
                    Column("effect", "Helps, strains or both", "Helpt, belast of allebei"), Column("ask",
                        "What I ask of them", "Wat ik van hen vraag")),
                Text("first_call", "Who I call first when it gets hard",
                    "Wie ik als eerste bel als het moeilijk wordt"),
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
                Scale("how_it_went", "How connected we felt this week", "Hoe verbonden we ons deze week voelden", 0,
                    10, required: false),
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
                new("reached_on", FieldType.Date, L("When we reached it", "Wanneer we die bereikten"), false),
                Long("what_helped", "What helped us get here", "Wat ons hierbij hielp"),
                Text("celebration", "How we celebrate", "Hoe we het vieren"),
            ]),

        new(ReplyKey, 1,
            L("Reply to the letter", "Antwoord op de brief"),
            L("For the partner who was hurt, after reading the letter of responsibility. Your questions and feelings come first now. Write what this did to you, what you need now, and what you still want to ask. There is no right way to feel; you do not have to forgive anything to write this. Bring it to the session; it is shared when your therapist releases it.",
              "Voor de partner die gekwetst is, na het lezen van de brief van verantwoordelijkheid. Jouw vragen en gevoelens gaan nu voor. Schrijf op wat dit met je heeft gedaan, wat je nu nodig hebt en wat je nog wilt vragen. Er is geen goede manier om je te voelen; je hoeft niets te vergeven om dit te schrijven. Neem het mee naar de sessie; het wordt gedeeld wanneer je therapeut het vrijgeeft."),
            "role_hurt", "once", 45, [1, 2, 6], false,
            [
                Long("what_this_did_to_me", "What this did to me", "Wat dit met mij heeft gedaan"),
                Long("what_i_need_now", "What I need now", "Wat ik nu nodig heb"),
                Long("questions_i_still_have", "What I still want to ask you", "Wat ik je nog wil vragen",
                    required: false),
            ]),

        new("loved_one_self_care", 1,
            L("Caring for myself", "Zorgen voor mezelf"),
            L("For the partner of someone in recovery. Recovery is not only their work: your own rest, support and life matter too. Once a week, note what you did for yourself, who supported you and how much energy you have left. Looking after yourself is not selfish; it is what lets you stay.",
              "Voor de partner van iemand die herstelt. Herstel is niet alleen hun werk: jouw eigen rust, steun en leven tellen ook. Noteer één keer per week wat je voor jezelf deed, wie je steunde en hoeveel energie je nog hebt. Voor jezelf zorgen is niet egoïstisch; het is wat je in staat stelt te blijven."),
            "role_hurt", "weekly", 10, [4, 5, 6], false,
            [
                Long("what_i_did_for_myself", "What I did for myself this week", "Wat ik deze week voor mezelf deed"),
                Text("who_supported_me", "Who supported me", "Wie mij steunde"),
                Scale("energy", "How much energy I have left", "Hoeveel energie ik nog heb", 0, 10),
                Long("what_i_need", "What I need in the coming week", "Wat ik de komende week nodig heb",
                    required: false),
            ]),

        new("recognising_enabling", 1,
            L("Recognising enabling", "Meehelpen herkennen"),
            L("For the partner of someone in recovery. Out of love we sometimes shield the other from the consequences: covering for them, making excuses, paying debts, taking over their tasks. It keeps the problem going. Describe situations where you did this, what it protected, and what you will do instead; kindly, without blaming yourself.",
              "Voor de partner van iemand die herstelt. Uit liefde beschermen we de ander soms tegen de gevolgen: indekken, smoesjes verzinnen, schulden betalen, taken overnemen. Zo blijft het probleem bestaan. Beschrijf situaties waarin je dat deed, wat het beschermde en wat je voortaan doet; mild, zonder jezelf iets te verwijten."),
            "role_hurt", "once", 30, [3, 4], false,
            [
                Table("situations", "Situations", "Situaties",
                    Column("situation", "What happened", "Wat er gebeurde"), Column("what_i_did", "What I did",
                        "Wat ik deed"),
                    Column("what_it_protected", "What it spared them", "Wat het hem of haar bespaarde"),
                    Column("instead", "What I will do instead", "Wat ik voortaan doe")),
                Text("first_step", "The first thing I will stop doing", "Het eerste waarmee ik stop"),
            ]),

        new(BoundaryReviewKey, 1,
            L("Are our boundaries still needed?", "Zijn onze grenzen nog nodig?"),
            L("Boundaries are guard rails for a while, not forever. Once a month, go through the boundaries you agreed together and ask of each: is it still needed, does it need to change, or can it go? Let trust that has grown show in fewer or lighter boundaries; keep the ones that still make you both feel safe.",
              "Grenzen zijn vangrails voor een tijd, niet voor altijd. Loop één keer per maand samen de grenzen langs die jullie afspraken en vraag bij elke grens: is hij nog nodig, moet hij anders, of kan hij weg? Laat gegroeid vertrouwen zien in minder of lichtere grenzen; houd de grenzen die jullie allebei nog een veilig gevoel geven."),
            "couple_joint", "monthly", 20, [4, 5, 7], true,
            [
                Table("boundaries", "Our boundaries now", "Onze grenzen nu",
                    Column("boundary", "Boundary", "Grens"), Column("still_needed", "Still needed? (yes, change, no)",
                        "Nog nodig? (ja, anders, nee)"),
                    Column("change", "What changes", "Wat er verandert")),
                Long("what_trust_allows_now", "What growing trust allows us now",
                    "Wat groeiend vertrouwen ons nu toestaat", required: false),
            ]),
    ];
}
