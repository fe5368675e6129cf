// os/compiler/Gate: how many values an instruction takes from and puts on the evaluation
// stack (ECMA-335 III), from the runtime's own opcode table, with calls counted from their
// signatures. CompilerHelpers uses it to follow one value over a few straight-line instructions;
// it answers null for anything that leaves straight-line code (branches, returns, throws).
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

internal static class StackEffects
{
    private static readonly Dictionary<ILOpCode, OpCode> Table = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ILOpCode)(ushort)o.Value, o => o);

    /// <summary>(values popped, values pushed), or null when the instruction is not straight-line code.</summary>
    public static (int Pop, int Push)? Of(MetadataReader md, IlInstruction ins)
    {
        if (!Table.TryGetValue(ins.OpCode, out var op)) return null;
        if (op.FlowControl is not (FlowControl.Next or FlowControl.Call or FlowControl.Meta)) return null;
        if (op.StackBehaviourPop == StackBehaviour.Varpop || op.StackBehaviourPush == StackBehaviour.Varpush)
        {
            if (ins.OpCode is not (ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj)) return null;
            var (hasThis, parameters, returns) = Signature(md, MetadataTokens.EntityHandle(ins.Token));
            return ins.OpCode == ILOpCode.Newobj ? (parameters, 1) : (parameters + (hasThis ? 1 : 0), returns ? 1 : 0);
        }
        return (Pops(op.StackBehaviourPop), Pushes(op.StackBehaviourPush));
    }

    /// <summary>Whether a called method takes "this", how many parameters it has, whether it returns a value.</summary>
    public static (bool HasThis, int Parameters, bool Returns) Signature(MetadataReader md, EntityHandle method)
    {
        if (method.Kind == HandleKind.MethodSpecification) method = md.GetMethodSpecification((MethodSpecificationHandle)method).Method;
        var blob = method.Kind switch
        {
            HandleKind.MethodDefinition => md.GetBlobReader(md.GetMethodDefinition((MethodDefinitionHandle)method).Signature),
            HandleKind.MemberReference => md.GetBlobReader(md.GetMemberReference((MemberReferenceHandle)method).Signature),
            _ => throw new BadImageFormatException($"a call names a {method.Kind}"),
        };
        var header = blob.ReadSignatureHeader();
        if (header.IsGeneric) blob.ReadCompressedInteger();
        int parameters = blob.ReadCompressedInteger();
        while (blob.ReadSignatureTypeCode() is SignatureTypeCode.RequiredModifier or SignatureTypeCode.OptionalModifier) blob.ReadTypeHandle();
        blob.Offset--; // peek: the return type's first code
        return (header.IsInstance, parameters, blob.ReadSignatureTypeCode() != SignatureTypeCode.Void);
    }

    private static int Pops(StackBehaviour b) => b switch
    {
        StackBehaviour.Pop0 => 0,
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8 or
        StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
        _ => 3, // popi_popi_popi, popref_popi_popi, popref_popi_popi8/popr4/popr8/popref/pop1
    };

    private static int Pushes(StackBehaviour b) => b switch
    {
        StackBehaviour.Push0 => 0,
        StackBehaviour.Push1_push1 => 2,
        _ => 1,
    };
}
