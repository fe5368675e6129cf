// os/compiler/Gate: one decoded IL instruction: where it is in the body, its opcode, and its
// operand (a metadata token for the instructions that name something; otherwise the literal).
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

internal readonly record struct IlInstruction(int Offset, ILOpCode OpCode, int Token, long Literal)
{
    /// <summary>The instruction names a type, method, field or signature through <see cref="Token"/>.</summary>
    public bool HasToken => Token != 0;

    /// <summary>The value pushed by an ldc.i4 form, or null for any other instruction.</summary>
    public int? Int32Constant => OpCode switch
    {
        ILOpCode.Ldc_i4_m1 => -1,
        >= ILOpCode.Ldc_i4_0 and <= ILOpCode.Ldc_i4_8 => OpCode - ILOpCode.Ldc_i4_0,
        ILOpCode.Ldc_i4_s or ILOpCode.Ldc_i4 => (int)Literal,
        _ => null,
    };
}
