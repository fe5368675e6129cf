// os/compiler/Gate: the words of refusals: what the domain does with a member, named in the
// way C# shows it (property accessors as properties, constructors as creating the type).
namespace RedLeaf.Os.Compiler.Gate;

internal static class Phrases
{
    public static string Of(MemberUse use, string typeDisplay, string member) => use switch
    {
        MemberUse.Create => $"creates {typeDisplay}",
        MemberUse.Attribute => $"applies the attribute {typeDisplay}",
        MemberUse.Call when member.StartsWith("get_", StringComparison.Ordinal) => $"reads {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Call when member.StartsWith("set_", StringComparison.Ordinal) => $"sets {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Call when member.StartsWith("add_", StringComparison.Ordinal) => $"subscribes to {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Call when member.StartsWith("remove_", StringComparison.Ordinal) => $"unsubscribes from {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Call => $"calls {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Delegate => $"makes a delegate to {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Jump => $"jumps to {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Read => $"reads {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Write => $"writes {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Address => $"takes the address of {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Token => $"takes a runtime handle to {MetadataNames.Member(typeDisplay, member)}",
        MemberUse.Implement => $"implements {MetadataNames.Member(typeDisplay, member)}",
        _ => $"refers to {MetadataNames.Member(typeDisplay, member)}",
    };
}
