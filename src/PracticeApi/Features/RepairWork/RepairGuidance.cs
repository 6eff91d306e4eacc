using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

public static class RepairGuidance
{
    private static LocalizedText L(string en, string nl) => new(en, nl);

    public static readonly AssessmentSigns Signs = new(
        [
            new("both_want_repair", L("Both partners sincerely want to work on repair",
                "Beide partners willen echt aan herstel werken")),
            new("full_responsibility", L("The partner who broke the trust takes full responsibility",
                "De partner die het vertrouwen schond, neemt de volle verantwoordelijkheid")),
            new("no_abuse_or_danger", L("There is no abuse and no danger", "Er is geen misbruik en geen gevaar")),
            new("love_remains", L("There is still love beneath the hurt", "Onder de pijn is er nog liefde")),
            new("can_communicate", L("They can talk constructively, with help",
                "Ze kunnen, met hulp, constructief met elkaar praten")),
            new("progress_visible", L("Some progress shows, however small",
                "Er is vooruitgang te zien, hoe klein ook")),
        ],
        [
            new("repeated_breaches_no_change", L("Breaches keep recurring without real change",
                "Breuken blijven terugkomen zonder echte verandering")),
            new("no_responsibility", L("No willingness to take responsibility or to be open",
                "Geen bereidheid tot verantwoordelijkheid of openheid")),
            new("abuse", L("Physical, emotional or sexual abuse", "Fysiek, emotioneel of seksueel misbruik")),
            new("emotional_distance", L("Complete emotional distance: no love left",
                "Volledige emotionele afstand: geen liefde meer")),
            new("values_mismatch", L("A fundamental mismatch of values, for example about having children",
                "Een fundamenteel verschil in waarden, bijvoorbeeld over kinderen")),
            new("untreated_addiction", L("An addiction that is not being worked on",
                "Een verslaving waar niet aan gewerkt wordt")),
            new("ongoing_unsafety", L("A lasting sense of being unsafe", "Een blijvend gevoel van onveiligheid")),
        ],
        L("Is each of them working on this relationship out of love and hope, or out of fear and obligation?",
          "Werkt ieder van hen aan deze relatie uit liefde en hoop, of uit angst en verplichting?"));

    public static readonly RepairSuggestions Suggestions = new(
        [
            new(L("Communication", "Communicatie"), L("A check-in together every evening at eight",
                "Elke avond om acht uur samen inchecken"),
                L("Did it happen every day this month?", "Is het deze maand elke dag gebeurd?")),
            new(L("Openness", "Openheid"), L("Phones are open to each other and passwords are shared",
                "Telefoons zijn open voor elkaar en wachtwoorden zijn gedeeld"),
                L("Can I always ask, without a fight?", "Kan ik het altijd vragen, zonder ruzie?")),
            new(L("Social contacts", "Sociale contacten"),
                L("Plans with an ex or old friends are talked over together first",
                "Afspraken met een ex of oude vrienden bespreken we eerst samen"),
                L("Is it raised before, not found out after?", "Wordt het vooraf verteld, niet achteraf ontdekt?")),
            new(L("Time", "Tijd"), L("Coming home after ten means a call beforehand",
                "Later dan tien uur thuis betekent vooraf bellen"),
                L("Was there a call every time?", "Is er elke keer gebeld?")),
            new(L("Therapy", "Therapie"), L("A couple session every two weeks until we both feel it is better",
                "Elke twee weken een relatiesessie, tot we allebei voelen dat het beter gaat"),
                L("Did we go?", "Zijn we gegaan?")),
            new(L("Closeness", "Nabijheid"), L("At least once a week, time together without phones",
                "Minstens één keer per week tijd samen zonder telefoons"),
                L("Did it work out this week?", "Is het deze week gelukt?")),
        ],
        new(
            [
                L("Take five slow breaths", "Adem vijf keer rustig in en uit"),
                L("Name the feeling: \"I feel panic, anger or fear\"",
                    "Benoem het gevoel: \"Ik voel paniek, woede of angst\""),
                L("Say what you need: \"I need reassurance\"",
                    "Zeg wat je nodig hebt: \"Ik heb geruststelling nodig\""),
            ],
            [
                L("Meet me with understanding: \"That makes sense. I am here.\"",
                    "Reageer met begrip: \"Dat is logisch. Ik ben er.\""),
            ],
            [
                L("Stop what I am doing and give you my full attention",
                    "Stoppen met wat ik doe en je volle aandacht geven"),
                L("Stay out of defending myself", "Niet in de verdediging schieten"),
                L("Ask: \"What do you need from me now?\"", "Vragen: \"Wat heb je nu van mij nodig?\""),
                L("Give what is needed: room, a hug, a talk or reassurance",
                    "Geven wat nodig is: ruimte, een knuffel, een gesprek of geruststelling"),
            ]),
        L("Agreements are temporary guard rails while trust grows back, not a permanent cage: review them regularly.",
          "Afspraken zijn tijdelijke vangrails terwijl het vertrouwen terugkomt, geen blijvende kooi: bespreek regelmatig of ze nog nodig zijn."));
}
