namespace PracticeApi.Infrastructure.Text;

/// <summary>
/// The strings this method returns are messages a person reads (a problem's detail or a field's error): they are
/// translated with every other problem text, and the bilingual sweep reads them from here.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MessageSourceAttribute : Attribute;
