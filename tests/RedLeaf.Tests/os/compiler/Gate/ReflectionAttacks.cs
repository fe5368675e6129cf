// tests/os/compiler/Gate: domains that try to reach around the type rules with reflection or code made at run
// time: GetType().GetField, Activator, Type.GetType, MethodInfo.Invoke, Delegate.CreateDelegate,
// dynamic, expression trees compiled at run time, a delegate's Method, the runtime helpers. Reflection
// could name the kernel's types and private fields; every form must be refused at compile time.
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class ReflectionAttacks
{
    [Fact]
    public void GetTypeGetFieldReadsAPrivateField() => Refused(Source("""
                var f = this.GetType().GetField("_secret", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance); // <-
                return (long)f!.GetValue(this)!;
        """, members: "    private long _secret = 42;"), GateIds.Reflection, "GetType opens reflection");

    [Fact]
    public void ReflectionOnAnRRefFindsItsHandle() => Refused(Source("""
                var r = RRef<Payload>.New(new Payload(1, 2));
                var handle = typeof(RRef<Payload>).GetField("Handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance); // <-
                return (long)(ulong)handle!.GetValue(r)!;
        """), GateIds.Reflection, "System.Type.GetField");

    [Fact]
    public void ActivatorCreatesAnObjectOfARunTimeType() => Refused(Source("""
                var o = Activator.CreateInstance(typeof(List<long>)); // <-
                return o is null ? 0 : 1;
        """), GateIds.Reflection, "System.Activator.CreateInstance");

    [Fact]
    public void TypeGetTypeNamesTheKernel() => Refused(Source("""
                var kernel = Type.GetType("RedLeaf.Os.Microkernel, RedLeaf.Os"); // <-
                return kernel is null ? 0 : 1;
        """), GateIds.Reflection, "System.Type.GetType");

    [Fact]
    public void MethodInfoInvoke() => Refused(Source("""
                var abs = typeof(Math).GetMethod("Abs", new[] { typeof(long) })!;
                return (long)abs.Invoke(null, new object[] { argument })!; // <-
        """), GateIds.Reflection, "System.Reflection.MethodBase.Invoke");

    [Fact]
    public void DelegateCreateDelegate() => Refused(Source("""
                var m = typeof(Attack).GetMethod(nameof(Seven))!;
                var f = (Func<long>)Delegate.CreateDelegate(typeof(Func<long>), m); // <-
                return f();
        """, members: "    public static long Seven() { return 7; }"), GateIds.Reflection, "System.Delegate.CreateDelegate");

    [Fact]
    public void ADelegatesMethodIsAReflectionObject() => Refused(Source("""
                Func<long> f = () => 1;
                return f.Method.Name.Length; // <-
        """), GateIds.Reflection, "System.Delegate.Method");

    [Fact]
    public void DynamicInvokeCallsThroughReflection() => Refused(Source("""
                Func<long, long> twice = x => 2 * x;
                return (long)twice.DynamicInvoke(argument)!; // <-
        """), GateIds.Reflection, "DynamicInvoke");

    [Fact]
    public void RunClassConstructorThroughTheRuntimeHelpers() => Refused(Source("""
                System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Attack).TypeHandle); // <-
                return 0;
        """), GateIds.Reflection, "RuntimeHelpers.RunClassConstructor");

    /// <summary>`dynamic` binds at run time through reflection. It must be refused as reflection (the
    /// gate's RLGATE006, naming dynamic), not reported as a bug of the trusted compiler.</summary>
    [Fact]
    public void DynamicIsRefusedAsReflectionNotAsACompilerBug()
    {
        var source = Source("""
                    dynamic d = argument;
                    return d + 1; // <-
            """);
        var found = Diagnostics(source, "DynamicIsRefusedAsReflectionNotAsACompilerBug.cs");
        Assert.True(found.All(d => d.Id != "RL0002"),
            "dynamic is reported as a bug of the trusted compiler (RL0002) instead of a refusal:\n" + string.Join("\n", found));
        Assert.Contains(found, d => d.Id == GateIds.Reflection && d.Message.Contains("dynamic") && d.Line == LineOf(source));
    }

    /// <summary>Expression trees compiled at run time make new code. System.Linq.Expressions is not in
    /// the domain reference set, so C# itself cannot find it; the refusal names it at its line.</summary>
    [Fact]
    public void AnExpressionTreeCompiledAtRunTime() => Refused(Source("""
                System.Linq.Expressions.Expression<Func<long, long>> e = x => x + 1; // <-
                return e.Compile()(argument);
        """), "CS0234", "'Expressions'");

    [Fact]
    public void TypeMembersListTheDomainsOwnMethods() => Refused(Source("""
                return typeof(Attack).GetMethods().Length; // <-
        """), GateIds.Reflection, "System.Type.GetMethods");
}
