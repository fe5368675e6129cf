// tests/os/compiler/Gate: the allow-list as data: the embedded list loads and agrees with the trusted
// compiler's reference set; malformed lines are errors naming their line; the precedence rules
// (member over type over prefix, deny on a tie, denies inherited through base types, "name" entries,
// helper entries, interface assemblies) decide as allowlist.txt documents.
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Gate;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class AllowListTests
{
    private static readonly Func<IReadOnlyList<string>> ObjectOnly = () => new[] { "System.Object" };

    [Fact]
    public void EmbeddedListLoadsAndCoversTheReferenceSet()
    {
        var list = AllowList.Embedded;
        foreach (var name in TrustedCompiler.FrameworkReferences) Assert.Equal(AssemblyRole.Framework, list.RoleOf(name));
        Assert.Equal(AssemblyRole.Abi, list.RoleOf("RedLeaf.Abi"));
        Assert.Equal(AssemblyRole.Interfaces, list.RoleOf("RedLeaf.Interfaces"));
        Assert.Equal(AssemblyRole.Outside, list.RoleOf("RedLeaf.Os"));
        Assert.All(list.Entries.Where(e => e.Kind == AllowEntryKind.Deny), e => Assert.Contains(e.Id!, GateIds.All));
        Assert.Same(list, AllowList.Embedded);
    }

    [Theory]
    [InlineData("allow System.Math\nfrobnicate System.Math", "line 2", "unknown directive")]
    [InlineData("deny System.GC RLGATE010", "line 1", "quoted reason")]
    [InlineData("deny System.GC RLGATE999 \"why\"", "line 1", "not a gate diagnostic ID")]
    [InlineData("\n\nallow System.Func`2", "line 3", "generic arity")]
    [InlineData("allow System.*::Foo", "line 1", "one member of one type")]
    [InlineData("deny System.GC RLGATE010 \"unclosed", "line 1", "not closed")]
    [InlineData("name System.Type::GetTypeFromHandle", "line 1", "a type, not a member")]
    public void MalformedLinesAreErrorsNamingTheLine(string text, string line, string what)
    {
        var e = Assert.Throws<FormatException>(() => AllowList.Load(text));
        Assert.Contains(line, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void TheMostSpecificEntryDecides()
    {
        var list = AllowList.Load("""
            framework Lib                                  # comments may follow an entry
            deny System.Threading.* RLGATE007 "threads"
            allow System.Threading.Interlocked
            allow System.Object
            deny System.Object::GetType RLGATE006 "reflection"
            deny System.Reflection.* RLGATE006 "reflection"
            allow System.Reflection.DefaultMemberAttribute
            allow System.Runtime.*
            deny System.Runtime.Loader.* RLGATE009 "loading"
            """);
        Verdict Member(string type, string member) => list.DecideMember(type, member, AssemblyRole.Framework, ObjectOnly);
        Assert.Equal(GateIds.Threads, Member("System.Threading.Thread", "Start").Id);
        Assert.True(Member("System.Threading.Interlocked", "Increment").Allowed);                // type beats prefix
        Assert.True(Member("System.Object", "ToString").Allowed);
        Assert.Equal(GateIds.Reflection, Member("System.Object", "GetType").Id);                  // member beats type
        Assert.True(list.DecideType("System.Reflection.DefaultMemberAttribute", AssemblyRole.Framework).Allowed);
        Assert.Equal(GateIds.Environment, list.DecideType("System.Runtime.Loader.AssemblyLoadContext", AssemblyRole.Framework).Id); // longer prefix
        Assert.Equal(GateIds.NotAllowed, Member("System.Console", "WriteLine").Id);               // nothing: not listed
    }

    [Fact]
    public void ADenyOnABaseTypeReachesDerivedTypesButNotTheirConstructors()
    {
        var list = AllowList.Load("""
            allow System.Collections.Generic.List
            deny System.Object::GetType RLGATE006 "reflection"
            deny System.Object::.ctor RLGATE001 "never"
            """);
        var bases = () => (IReadOnlyList<string>)new[] { "System.Object" };
        Assert.Equal(GateIds.Reflection, list.DecideMember("System.Collections.Generic.List", "GetType", AssemblyRole.Framework, bases).Id);
        Assert.True(list.DecideMember("System.Collections.Generic.List", ".ctor", AssemblyRole.Framework, bases).Allowed);
        Assert.True(list.DecideMember("System.Collections.Generic.List", "Add", AssemblyRole.Framework, bases).Allowed);
    }

    [Fact]
    public void OnATieDenyWins()
    {
        var list = AllowList.Load("allow System.GC\ndeny System.GC RLGATE010 \"gc\"");
        Assert.Equal(GateIds.GcControl, list.DecideMember("System.GC", "Collect", AssemblyRole.Framework, ObjectOnly).Id);
    }

    [Fact]
    public void NameEntriesLetATypeBeNamedButNotUsed()
    {
        var list = AllowList.Load("name System.IAsyncResult\ndeny System.Type RLGATE006 \"reflection\"\nallow System.Type::GetTypeFromHandle");
        Assert.True(list.DecideType("System.IAsyncResult", AssemblyRole.Framework).Allowed);
        Assert.False(list.DecideMember("System.IAsyncResult", "get_AsyncWaitHandle", AssemblyRole.Framework, ObjectOnly).Allowed);
        Assert.True(list.DecideType("System.Type", AssemblyRole.Framework).Allowed);           // a member of it is allowed
        Assert.True(list.DecideMember("System.Type", "GetTypeFromHandle", AssemblyRole.Framework, ObjectOnly).Allowed);
        Assert.Equal(GateIds.Reflection, list.DecideMember("System.Type", "GetMethod", AssemblyRole.Framework, ObjectOnly).Id);
    }

    [Fact]
    public void HelperEntriesCountOnlyInsideCompilerHelpers()
    {
        var list = AllowList.Load("deny System.Runtime.CompilerServices.Unsafe RLGATE002 \"raw\"\nhelper System.Runtime.CompilerServices.Unsafe::As");
        Assert.Equal(GateIds.RawMemory, list.DecideMember("System.Runtime.CompilerServices.Unsafe", "As", AssemblyRole.Framework, ObjectOnly).Id);
        Assert.True(list.DecideMember("System.Runtime.CompilerServices.Unsafe", "As", AssemblyRole.Framework, ObjectOnly, inHelper: true).Allowed);
        Assert.False(list.DecideMember("System.Runtime.CompilerServices.Unsafe", "Add", AssemblyRole.Framework, ObjectOnly, inHelper: true).Allowed);
    }

    [Fact]
    public void InterfaceAssembliesAllowEverythingNotDenied()
    {
        var list = AllowList.Load("interfaces RedLeaf.Interfaces\ndeny RedLeaf.Interfaces.Secret RLGATE017 \"no\"").WithInterfaceAssemblies("Cell.Interfaces");
        Assert.Equal(AssemblyRole.Interfaces, list.RoleOf("Cell.Interfaces"));
        Assert.True(list.DecideMember("RedLeaf.Interfaces.Test.IDomB", "Add", AssemblyRole.Interfaces, ObjectOnly).Allowed);
        Assert.Equal(GateIds.SharedState, list.DecideType("RedLeaf.Interfaces.Secret", AssemblyRole.Interfaces).Id);
        Assert.False(list.DecideType("RedLeaf.Interfaces.Secret", AssemblyRole.Framework).Allowed);
    }

    [Fact]
    public void GenericArityIsIgnoredAndNestedTypesFollowTheirOuterType()
    {
        var list = AllowList.Load("allow System.Func\nallow System.Collections.Generic.List\ndeny System.Collections.Generic.List+Secret RLGATE001 \"no\"");
        Assert.True(list.DecideMember("System.Func", "Invoke", AssemblyRole.Framework, ObjectOnly).Allowed);
        Assert.True(list.DecideType("System.Collections.Generic.List+Enumerator", AssemblyRole.Framework).Allowed);
        Assert.False(list.DecideType("System.Collections.Generic.List+Secret", AssemblyRole.Framework).Allowed);
    }
}
