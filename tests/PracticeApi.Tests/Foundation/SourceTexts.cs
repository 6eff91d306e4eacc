using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// Every text a person reads that the source writes: problem titles and details, validation messages and alert reasons,
/// read from the source with Roslyn at the calls that make them. A hole ({}) stands for a value filled in at run time.
/// </summary>
internal static class SourceTexts
{
    /// <summary>A text, where it is written, and what it is (title, detail, message, noun, alert:{kind}).</summary>
    public sealed record Text(string Template, string Role, string Where);

    // Which arguments of which calls are texts: (receiver or type, method, argument index, role).
    private static readonly (string Owner, string Method, int Index, string Role)[] Calls =
    [
        ("Failure", "Conflict", 1, "title"), ("Failure", "Conflict", 2, "detail"), ("Failure", "Forbidden",
            0, "detail"),
        ("Failure", "Invalid", 1, "message"), ("Failure", "NotFound", 0, "noun"), ("Problems", "NotFound", 0, "noun"),
        ("Problems", "Result", 2, "title"), ("Problems", "Result", 3, "detail"), ("Problems", "WriteAsync", 3, "title"),
        ("Problems", "WriteAsync", 4, "detail"), ("Problems", "Validation", 1, "message"), ("*", "WithMessage",
            0, "message"),
        ("new Failure", "", 2, "title"), ("new Failure", "", 3, "detail"), ("new AlertResponse", "", 2, "alert"),
        // What a problem's detail says is held or cannot be done, filled into its sentence.
        ("SafetyHold", "Refused", 0, "noun"), ("SafetyHold", "CheckAsync", 5, "noun"), ("CareRules",
            "CheckTherapistActiveAsync", 3, "noun"),
        ("*", "ResolveSubjectAsync", 5, "noun"), // a booking's (override, what is held, resource, id)
        ("*", "CheckMoveAsync", 4, "noun"), // a move of booked sessions (couple, override, what is held, resource, id)
    ];

    public static IReadOnlyList<Text> All()
    {
        var root = Infrastructure.RepoFiles.PathTo("src", "PracticeApi");
        var texts = new List<Text>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                                 !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                // Inside a type, an unqualified call or new(…) is that type's own (Problems.Result, a Failure's
                // new(…)).
                var own = node.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text;
                var (owner, method, args) = node switch
                {
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } i =>
                        (m.Expression.ToString(), m.Name.Identifier.Text, i.ArgumentList.Arguments),
                    InvocationExpressionSyntax { Expression: IdentifierNameSyntax n } i => (own, n.Identifier.Text,
                        i.ArgumentList.Arguments),
                    ObjectCreationExpressionSyntax { ArgumentList: { } list } o => ($"new {o.Type}", "",
                        list.Arguments),
                    ImplicitObjectCreationExpressionSyntax o => ($"new {own}", "", o.ArgumentList.Arguments),
                    _ => (null, null, default),
                };
                var where0 = $"{Path.GetRelativePath(root, file)}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                // errors["field"] = ["message"]: a field's error written straight into a problem's errors.
                if (node is AssignmentExpressionSyntax { Left: ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "errors" } },
                        Right: CollectionExpressionSyntax collection })
                {
                    texts.AddRange(collection.Elements.OfType<ExpressionElementSyntax>()
                        .SelectMany(e => Templates(e.Expression))
                        .Select(t => new Text(t, "message", where0)));
                }

                // A problem's title or detail set directly: problem.Title = "…", or new ProblemDetails { Detail = "…"
                // }.
                if (node is AssignmentExpressionSyntax set && ProblemMember(set) is { } member)
                {
                    texts.AddRange(Templates(set.Right).Select(t => new Text(t, member, where0)));
                }

                // A [MessageSource] method: whatever it returns is a message.
                if (node is MethodDeclarationSyntax declared && declared.AttributeLists.SelectMany(a => a.Attributes)
                    .Any(a => a.Name.ToString() == "MessageSource"))
                {
                    var returned = declared.DescendantNodes().OfType<ReturnStatementSyntax>()
                        .Where(r => r.Expression is not null).Select(r => r.Expression!)
                        .Concat(declared.ExpressionBody is { } body ? [body.Expression] : []);
                    texts.AddRange(returned.SelectMany(Templates).Select(t => new Text(t, "message", where0)));
                }

                if (owner is null) continue;
                foreach (var call in Calls.Where(c => c.Method == method && (c.Owner == "*" || c.Owner == owner)
                    && c.Index < args.Count))
                {
                    var where = $"{Path.GetRelativePath(root, file)}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                    var role = call.Role == "alert" && args[1].Expression is MemberAccessExpressionSyntax kind
                        ? $"alert:{JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.Name.Identifier.ValueText)}"
                        : call.Role;
                    // A lambda (WithMessage's computed form) or a value passed on is not a text written here.
                    if (args[call.Index].Expression is LambdaExpressionSyntax) continue;
                    foreach (var template in Templates(args[call.Index].Expression)) texts.Add(new Text(template,
                        role, where));
                }
            }
        }

        return texts;
    }

    private static string? ProblemMember(AssignmentExpressionSyntax set) => set.Left switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.Text: "Title" or "Detail" } m when m.Expression.ToString()
            .EndsWith("roblemDetails", StringComparison.Ordinal)
            || m.Expression.ToString() == "problem" => m.Name.Identifier.Text.ToLowerInvariant(),
        IdentifierNameSyntax { Identifier.Text: "Title" or "Detail" } i when set.Parent?.Parent is ObjectCreationExpressionSyntax { Type: var type }
            && type.ToString() == "ProblemDetails" => i.Identifier.Text.ToLowerInvariant(),
        _ => null,
    };

    /// <summary>The text an expression makes, with {} for each value only known at run time; both branches of a ?:
    /// .</summary>
    private static IEnumerable<string> Templates(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.StringLiteralExpression) => [l.Token.ValueText],
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.NullLiteralExpression) => [],
        InterpolatedStringExpressionSyntax i => [string.Concat(i.Contents.Select(c =>
            c is InterpolatedStringTextSyntax t ? t.TextToken.ValueText.Replace("{{", "{").Replace("}}", "}") : "{}"))],
        SwitchExpressionSyntax w => w.Arms.SelectMany(a => Templates(a.Expression)),
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression) =>
            Templates(b.Left).SelectMany(l => Templates(b.Right).Select(r => l + r)),
        ConditionalExpressionSyntax c => Templates(c.WhenTrue).Concat(Templates(c.WhenFalse)),
        ParenthesizedExpressionSyntax p => Templates(p.Expression),
        TupleExpressionSyntax { Arguments.Count: > 1 } t => Templates(t.Arguments[1].Expression),
        _ => ["{}"],
    };
}
