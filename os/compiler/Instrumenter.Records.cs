// os/compiler: the instrumentation of records. A record's equality and hash code are generated
// by the C# compiler, so the rest of the Instrumenter never sees them and they carry no stack guard;
// they compare and hash the record's fields one by one, and a chain of records (a linked list, a tree
// built of records) makes them recurse as deep as the chain is long: a stack overflow, which ends the
// whole process. Each record gets members the compiler then uses instead, with the guard's check:
//   - a record class gets its EqualityContract, which the generated Equals(R) and GetHashCode read
//     first at every level (before any field), as a property whose getter checks;
//   - a record struct has no EqualityContract: it gets Equals(R) and GetHashCode, written out over its
//     fields as the compiler would (EqualityComparer<T>.Default, in declaration order), after a check.
// Plain structs get the same for ValueType's Equals and GetHashCode (VisitStructDeclaration).
// A member the student declared is left alone (the instrumentation already checks in it). ToString is
// not needed: the generated PrintMembers calls RuntimeHelpers.EnsureSufficientExecutionStack, whose
// exception ends the domain's call, not the process. The members go on the line of the record's
// opening brace (or in place of the ';' of `record R(...);`), so line numbers do not move.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace RedLeaf.Os.Compiler;

internal sealed partial class Instrumenter
{
    public override SyntaxNode? VisitRecordDeclaration(RecordDeclarationSyntax node)
    {
        var v = (RecordDeclarationSyntax)base.VisitRecordDeclaration(node)!;
        if (_model.GetDeclaredSymbol(node) is not INamedTypeSymbol record) return v;
        // A partial record gets its members once, in the part declared first.
        if (record.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() != node) return v;
        var members = record.IsValueType ? StructEquality(record) : EqualityContract(record);
        return members.Count == 0 ? v : AddMembers(v, members);
    }

    /// <summary>A struct that does not override Equals or GetHashCode uses ValueType's, in the base library,
    /// which compare and hash its fields through their own Equals and GetHashCode: a struct with an object
    /// field can hold the next one of a chain, boxed. Each gets overrides that check and then call
    /// ValueType's own, so the result is what it was.</summary>
    public override SyntaxNode? VisitStructDeclaration(StructDeclarationSyntax node)
    {
        var v = (StructDeclarationSyntax)base.VisitStructDeclaration(node)!;
        if (_model.GetDeclaredSymbol(node) is not INamedTypeSymbol type || type.IsRefLikeType) return v;
        if (type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() != node) return v;
        var members = new List<MemberDeclarationSyntax>();
        if (!Declares(type, "Equals", m => m is IMethodSymbol { IsOverride: true, Parameters: [{ Type.SpecialType: SpecialType.System_Object }] }))
            members.Add(ParseMemberDeclaration($"public override bool Equals(object? obj) {{ {GuardType}.Tick(); return base.Equals(obj); }}")!);
        if (!Declares(type, "GetHashCode", m => m is IMethodSymbol { IsOverride: true, Parameters.Length: 0 }))
            members.Add(ParseMemberDeclaration($"public override int GetHashCode() {{ {GuardType}.Tick(); return base.GetHashCode(); }}")!);
        return members.Count == 0 ? v : AddMembers(v, members);
    }

    private static string Name(ITypeSymbol t) => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static bool Declares(INamedTypeSymbol record, string name, Func<ISymbol, bool> match) =>
        record.GetMembers(name).Any(m => !m.IsImplicitlyDeclared && match(m));

    /// <summary>A record class: `EqualityContract`, with the accessibility the compiler would give it.</summary>
    private static List<MemberDeclarationSyntax> EqualityContract(INamedTypeSymbol record)
    {
        var members = new List<MemberDeclarationSyntax>();
        if (Declares(record, "EqualityContract", _ => true)) return members;
        bool derived = record.BaseType is { IsRecord: true };
        string modifiers = (derived, record.IsSealed) switch
        {
            (false, true) => "private",
            (false, false) => "protected virtual",
            (true, true) => "protected sealed override",
            (true, false) => "protected override",
        };
        members.Add(ParseMemberDeclaration(
            $"{modifiers} global::System.Type EqualityContract {{ get {{ {GuardType}.Tick(); return typeof({Name(record)}); }} }}")!);
        return members;
    }

    /// <summary>A record struct: Equals(R) and GetHashCode over its instance fields, as generated.</summary>
    private static List<MemberDeclarationSyntax> StructEquality(INamedTypeSymbol record)
    {
        var members = new List<MemberDeclarationSyntax>();
        string self = Name(record);
        var fields = record.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst)
            .Select(f => (Type: Name(f.Type), Member: f.AssociatedSymbol is IPropertySymbol p ? p.Name : f.Name)).ToList();
        string Comparer(string type) => $"global::System.Collections.Generic.EqualityComparer<{type}>.Default";

        if (!Declares(record, "Equals", m => m is IMethodSymbol { Parameters: [var p] } && SymbolEqualityComparer.Default.Equals(p.Type, record)))
        {
            string body = fields.Count == 0 ? "true"
                : string.Join(" && ", fields.Select(f => $"{Comparer(f.Type)}.Equals(this.@{f.Member}, other.@{f.Member})"));
            members.Add(ParseMemberDeclaration($"public readonly bool Equals({self} other) {{ {GuardType}.Tick(); return {body}; }}")!);
        }
        if (!Declares(record, "GetHashCode", m => m is IMethodSymbol { Parameters.Length: 0 }))
        {
            string hash = "0";
            foreach (var f in fields) hash = $"({hash}) * -1521134295 + {Comparer(f.Type)}.GetHashCode(this.@{f.Member}!)";
            members.Add(ParseMemberDeclaration($"public override readonly int GetHashCode() {{ {GuardType}.Tick(); return unchecked({hash}); }}")!);
        }
        return members;
    }

    private static T AddMembers<T>(T record, List<MemberDeclarationSyntax> added) where T : TypeDeclarationSyntax
    {
        var spaced = added.Select(m => m.WithLeadingTrivia(Space).WithTrailingTrivia(Space)).ToList();
        if (record.OpenBraceToken.IsKind(SyntaxKind.None))
        {
            // `record R(...);` becomes `record R(...) { members }` on the same line.
            var semicolon = record.SemicolonToken;
            return (T)record.WithSemicolonToken(default)
                .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(Space))
                .WithMembers(List(spaced))
                .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(semicolon.TrailingTrivia));
        }
        var open = record.OpenBraceToken;
        spaced[^1] = spaced[^1].WithTrailingTrivia(open.TrailingTrivia);
        return (T)record.WithOpenBraceToken(open.WithTrailingTrivia()).WithMembers(record.Members.InsertRange(0, spaced));
    }
}
