// os/compiler/Gate: where a refusal points: a source file, line and column from the PDB, or,
// without one, the assembly and the IL offset ("Domain.x.dll(IL_0012 in Student.Shapes::Run)", line 0).
namespace RedLeaf.Os.Compiler.Gate;

internal readonly record struct SourceSpot(string File, int Line, int Column);
