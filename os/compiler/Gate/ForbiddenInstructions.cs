// os/compiler/Gate: IL instructions no domain may contain, whatever they operate on: each
// reaches memory or control flow outside the type rules the isolation rests on. Safe C# never emits
// them except localloc (stackalloc into a Span), refused because a huge stackalloc overflows the
// thread's stack, which ends the whole process rather than the domain.
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal static class ForbiddenInstructions
{
    private static readonly Dictionary<ILOpCode, (string Name, string Why)> Table = new()
    {
        [ILOpCode.Calli] = ("calli (a function-pointer call)", "it calls whatever address is on the stack"),
        [ILOpCode.Localloc] = ("stackalloc (IL localloc)", "it takes memory from the thread's stack; a large one overflows the stack and ends the whole process, not just the domain"),
        [ILOpCode.Cpblk] = ("cpblk (a raw memory copy)", "it copies bytes between raw addresses"),
        [ILOpCode.Initblk] = ("initblk (a raw memory fill)", "it writes bytes at a raw address"),
        [ILOpCode.Arglist] = ("__arglist (IL arglist)", "it reads untyped variable arguments"),
        [ILOpCode.Mkrefany] = ("__makeref (IL mkrefany)", "typed references escape the type rules"),
        [ILOpCode.Refanyval] = ("__refvalue (IL refanyval)", "typed references escape the type rules"),
        [ILOpCode.Refanytype] = ("__reftype (IL refanytype)", "typed references escape the type rules"),
        [ILOpCode.Jmp] = ("jmp", "it jumps into another method with the current arguments, past its checks"),
        [IlReader.NoPrefix] = ("the no. prefix", "it tells the runtime to skip type, range or null checks"),
    };

    /// <summary>The refusal for an instruction, or null when domains may use it.</summary>
    public static string? Refusal(ILOpCode op) => Table.TryGetValue(op, out var t) ? $"uses {t.Name}: {t.Why}" : null;
}
