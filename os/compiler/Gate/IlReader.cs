// os/compiler/Gate: decodes a method body's IL into instructions (ECMA-335 III). The gate
// reads every instruction, so an operand it cannot decode (a truncated body, an unknown opcode) is
// an error, never something to skip: skipping would let bytes past the gate unread.
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal static class IlReader
{
    /// <summary>The 'no.' prefix (0xFE 0x19: skip type, range or null checks), which ILOpCode does not name.</summary>
    public const ILOpCode NoPrefix = (ILOpCode)0xFE19;

    /// <summary>The instructions of a body; <paramref name="targets"/>, when given, receives every
    /// offset a branch, leave or switch can jump to.</summary>
    public static List<IlInstruction> Read(BlobReader il, ISet<int>? targets = null)
    {
        var list = new List<IlInstruction>();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            int first = il.ReadByte();
            var op = (ILOpCode)(first == 0xFE ? 0xFE00 | il.ReadByte() : first);
            int token = 0;
            long literal = 0;
            switch (OperandBytes(op))
            {
                case 0: break;
                case 1: literal = op is ILOpCode.Ldc_i4_s || IsBranch(op) ? il.ReadSByte() : il.ReadByte(); break;
                case 2: literal = il.ReadUInt16(); break;
                case 4 when IsTokenOperand(op): token = il.ReadInt32(); break;
                case 4: literal = op == ILOpCode.Ldc_r4 ? (long)BitConverter.SingleToInt32Bits(il.ReadSingle()) : il.ReadInt32(); break;
                case 8: literal = il.ReadInt64(); break;
                case -1:
                    uint n = il.ReadUInt32();
                    if (n > (uint)il.RemainingBytes / 4) throw new BadImageFormatException($"switch at IL_{offset:x4} has {n} targets, more than the body holds");
                    int after = il.Offset + (int)n * 4;
                    for (uint k = 0; k < n; k++) targets?.Add(after + il.ReadInt32());
                    literal = n;
                    break;
                default: throw new BadImageFormatException($"unknown IL opcode 0x{(int)op:x} at IL_{offset:x4}");
            }
            if (targets is not null && IsBranch(op)) targets.Add(il.Offset + (int)literal);
            list.Add(new IlInstruction(offset, op, token, literal));
        }
        return list;
    }

    private static bool IsBranch(ILOpCode op) =>
        op is ILOpCode.Leave or ILOpCode.Leave_s or (>= ILOpCode.Br_s and <= ILOpCode.Blt_un_s) or (>= ILOpCode.Br and <= ILOpCode.Blt_un);

    /// <summary>True for opcodes whose 4-byte operand is a metadata token.</summary>
    public static bool IsTokenOperand(ILOpCode op) => op is
        ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or
        ILOpCode.Cpobj or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox or ILOpCode.Unbox_any or
        ILOpCode.Box or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Refanyval or ILOpCode.Mkrefany or
        ILOpCode.Initobj or ILOpCode.Constrained or ILOpCode.Sizeof or ILOpCode.Ldtoken or ILOpCode.Ldstr or
        ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld;

    /// <summary>Operand size in bytes; -1 for switch (a count, then that many targets); 99 for an unknown opcode.</summary>
    private static int OperandBytes(ILOpCode op)
    {
        if (IsTokenOperand(op)) return 4;
        return op switch
        {
            ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s or
            ILOpCode.Ldc_i4_s or ILOpCode.Unaligned or NoPrefix or ILOpCode.Leave_s => 1,
            >= ILOpCode.Br_s and <= ILOpCode.Blt_un_s => 1,
            ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => 2,
            ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Leave => 4,
            >= ILOpCode.Br and <= ILOpCode.Blt_un => 4,
            ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => 8,
            ILOpCode.Switch => -1,
            _ when Enum.IsDefined(op) => 0, // every other opcode ECMA-335 defines has no operand
            _ => 99,
        };
    }
}
