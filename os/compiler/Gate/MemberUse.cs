// os/compiler/Gate: how domain code uses a member it refers to, so a refusal can say it the
// way a student would ("calls Console.WriteLine", "creates System.Threading.Thread", "writes X.F").
namespace RedLeaf.Os.Compiler.Gate;

internal enum MemberUse
{
    Call,
    Create,
    Delegate,
    Jump,
    Read,
    Write,
    Address,
    Token,
    Attribute,
    Implement,
    Reference,
}
