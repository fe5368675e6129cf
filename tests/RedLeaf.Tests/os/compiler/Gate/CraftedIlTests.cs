// tests/os/compiler/Gate: images written instruction by instruction with Reflection.Emit (PersistedAssemblyBuilder),
// as a hostile tool rather than the C# compiler would write them: raw memory instructions, writes to
// the base library's statics, the ABI's internal members, a fake compiler helper and out-of-bounds calls
// to a real-looking one, P/Invoke and a finalizer under another name. Without a PDB, refusals point at
// "assembly.dll(IL_xxxx in Type::Method)".
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Gate;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class CraftedIlTests
{
    private static byte[] Image(Action<ModuleBuilder> define)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName("Crafted"), typeof(object).Assembly);
        define(assembly.DefineDynamicModule("Crafted"));
        using var stream = new MemoryStream();
        assembly.Save(stream);
        return stream.ToArray();
    }

    /// <summary>An image with one public static method T.M whose body <paramref name="body"/> writes.</summary>
    private static byte[] Method(Type result, Type[] parameters, Action<ILGenerator, TypeBuilder> body) => Image(module =>
    {
        var type = module.DefineType("T", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var m = type.DefineMethod("M", MethodAttributes.Public | MethodAttributes.Static, result, parameters);
        body(m.GetILGenerator(), type);
        type.CreateType();
    });

    private static IReadOnlyList<DomainDiagnostic> Check(byte[] pe) => IlGate.Default.Check(pe, null);

    [Theory]
    [InlineData("cpblk")]
    [InlineData("initblk")]
    public void RawBlockInstructionsAreRefusedWithAnIlLocation(string which)
    {
        var pe = Method(typeof(void), new[] { typeof(nint), typeof(nint) }, (il, _) =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4_8);
            il.Emit(which == "cpblk" ? OpCodes.Cpblk : OpCodes.Initblk);
            il.Emit(OpCodes.Ret);
        });
        var d = Assert.Single(Check(pe));
        Assert.Equal(GateIds.Instruction, d.Id);
        Assert.Equal("Crafted.dll(IL_0003 in T::M)", d.File);
        Assert.Equal(0, d.Line);
        Assert.Contains(which, d.Message);
    }

    [Fact]
    public void JmpIsRefused()
    {
        var pe = Method(typeof(int), Type.EmptyTypes, (il, _) => il.Emit(OpCodes.Jmp, typeof(Environment).GetProperty("ProcessId")!.GetMethod!));
        var found = Check(pe);
        Assert.Contains(found, d => d.Id == GateIds.Instruction && d.Message.Contains("jmp"));
        Assert.Contains(found, d => d.Id == GateIds.Environment && d.Message.StartsWith("jumps to System.Environment.ProcessId"));
    }

    [Fact]
    public void WritingTheBaseLibrarysStaticsIsRefused()
    {
        var pe = Method(typeof(void), Type.EmptyTypes, (il, _) =>
        {
            il.Emit(OpCodes.Ldstr, "not empty");
            il.Emit(OpCodes.Stsfld, typeof(string).GetField("Empty")!);
            il.Emit(OpCodes.Ret);
        });
        var d = Assert.Single(Check(pe));
        Assert.Equal(GateIds.SharedStatic, d.Id);
        Assert.StartsWith("writes System.String.Empty: static fields of System.Private.CoreLib are shared by every domain", d.Message);
    }

    [Fact]
    public void WritingThroughTheAddressOfAReadonlyStaticIsRefused()
    {
        // "DateTime.MinValue.Year" may take the address to read; storing through it may not.
        var pe = Method(typeof(void), Type.EmptyTypes, (il, _) =>
        {
            il.Emit(OpCodes.Ldsflda, typeof(DateTime).GetField("MinValue")!);
            il.Emit(OpCodes.Ldc_I8, 42L);
            il.Emit(OpCodes.Stind_I8);
            il.Emit(OpCodes.Ret);
        });
        var d = Assert.Single(Check(pe));
        Assert.Equal(GateIds.SharedStatic, d.Id);
        Assert.StartsWith("takes the address of System.DateTime.MinValue", d.Message);
    }

    [Fact]
    public void TheAbisInternalMembersAreRefused()
    {
        var handle = typeof(RRef<long>).GetField("Handle", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var ctor = typeof(RRef<long>).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, new[] { typeof(ulong) })!;
        var pe = Method(typeof(RRef<long>), new[] { typeof(RRef<long>) }, (il, _) =>
        {
            il.Emit(OpCodes.Ldarga_S, (byte)0);
            il.Emit(OpCodes.Ldfld, handle);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Newobj, ctor);
            il.Emit(OpCodes.Ret);
        });
        var found = Check(pe);
        Assert.Contains(found, d => d.Id == GateIds.AccessBypass && d.Message.StartsWith("reads RedLeaf.Abi.RRef<long>.Handle: it is not public in RedLeaf.Abi"));
        Assert.Contains(found, d => d.Id == GateIds.AccessBypass && d.Message.StartsWith("creates RedLeaf.Abi.RRef<long>"));
    }

    [Fact]
    public void PInvokeAndAFinalizerUnderAnotherNameAreRefused()
    {
        var pe = Image(module =>
        {
            var type = module.DefineType("Native", TypeAttributes.Public);
            type.DefinePInvokeMethod("getpid", "libc", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.PinvokeImpl,
                CallingConventions.Standard, typeof(int), Type.EmptyTypes, System.Runtime.InteropServices.CallingConvention.Cdecl, System.Runtime.InteropServices.CharSet.Ansi);
            var cleanup = type.DefineMethod("Cleanup", MethodAttributes.Family | MethodAttributes.Virtual | MethodAttributes.HideBySig, typeof(void), Type.EmptyTypes);
            cleanup.GetILGenerator().Emit(OpCodes.Ret);
            type.DefineMethodOverride(cleanup, typeof(object).GetMethod("Finalize", BindingFlags.Instance | BindingFlags.NonPublic)!);
            type.CreateType();
        });
        var found = Check(pe);
        Assert.Contains(found, d => d.Id == GateIds.NativeCode && d.Message.Contains("native function from 'libc'"));
        Assert.Contains(found, d => d.Id == GateIds.Finalizer && d.Message.Contains("overrides Object.Finalize under another name"));
    }

    /// <summary>A &lt;PrivateImplementationDetails&gt;.InlineArrayElementRef like Roslyn's (or, with
    /// <paramref name="honest"/> false, one that adds its own offset), an [InlineArray(2)] int buffer,
    /// and T.M reading element <paramref name="index"/> of a local buffer through it.</summary>
    private static byte[] InlineArrayImage(int index, bool honest = true) => Image(module =>
    {
        var buffer = module.DefineType("Buf", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout, typeof(ValueType));
        buffer.DefineField("_e", typeof(int), FieldAttributes.Private);
        buffer.SetCustomAttribute(new CustomAttributeBuilder(typeof(InlineArrayAttribute).GetConstructor(new[] { typeof(int) })!, new object[] { 2 }));

        var details = module.DefineType("<PrivateImplementationDetails>", TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.Abstract);
        var helper = details.DefineMethod("InlineArrayElementRef", MethodAttributes.Assembly | MethodAttributes.Static);
        var g = helper.DefineGenericParameters("TBuffer", "TElement");
        helper.SetReturnType(g[1].MakeByRefType());
        helper.SetParameters(g[0].MakeByRefType(), typeof(int));
        var @as = typeof(Unsafe).GetMethods().Single(m => m.Name == "As" && m.GetGenericArguments().Length == 2).MakeGenericMethod(g[0], g[1]);
        var add = typeof(Unsafe).GetMethods().Single(m => m.Name == "Add" && m.GetParameters() is [{ ParameterType.IsByRef: true }, { ParameterType: var p }] && p == typeof(int)).MakeGenericMethod(g[1]);
        var il = helper.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, @as);
        if (honest) il.Emit(OpCodes.Ldarg_1); else il.Emit(OpCodes.Ldc_I4, 1000);
        il.Emit(OpCodes.Call, add);
        il.Emit(OpCodes.Ret);

        var type = module.DefineType("T", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var m = type.DefineMethod("M", MethodAttributes.Public | MethodAttributes.Static, typeof(int), Type.EmptyTypes);
        var body = m.GetILGenerator();
        body.DeclareLocal(buffer);
        body.Emit(OpCodes.Ldloca_S, (byte)0);
        body.Emit(OpCodes.Ldc_I4, index);
        body.Emit(OpCodes.Call, helper.MakeGenericMethod(buffer, typeof(int)));
        body.Emit(OpCodes.Ldind_I4);
        body.Emit(OpCodes.Ret);
        buffer.CreateType();
        details.CreateType();
        type.CreateType();
    });

    [Fact]
    public void AnInlineArrayHelperInRoslynsShapeCalledInBoundsPasses() => Assert.Empty(Check(InlineArrayImage(index: 1)));

    [Fact]
    public void AnInlineArrayHelperCalledOutOfBoundsIsRefused()
    {
        var d = Assert.Single(Check(InlineArrayImage(index: 5)));
        Assert.Equal(GateIds.CompilerHelper, d.Id);
        Assert.Contains("InlineArrayElementRef with 5, outside a buffer of 2", d.Message);
    }

    [Fact]
    public void AFakeCompilerHelperIsRefused()
    {
        var found = Check(InlineArrayImage(index: 0, honest: false));
        Assert.Contains(found, d => d.Id == GateIds.CompilerHelper && d.Message.Contains("is not the C# compiler's inline-array helper"));
    }
}
