// tools/RedLeaf.Xv6: one piece of damage fsck found: its kind and a sentence naming where.
namespace RedLeaf.Xv6;

public sealed record FsckProblem(FsckKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}
