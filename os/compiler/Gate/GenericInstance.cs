// os/compiler/Gate: a type specification read as a generic instantiation (`X<A, B>`): the
// generic type it instantiates and its type arguments, decoded with the caller's signature provider.
// UnguardedRecursion and ExpandingGenerics both need the arguments of a member's generic parent.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

internal static class GenericInstance
{
    /// <summary>The generic type and arguments of <paramref name="spec"/>; false if it is not a generic instantiation.</summary>
    public static bool TryRead<T, TContext>(MetadataReader md, TypeSpecificationHandle spec, ISignatureTypeProvider<T, TContext> provider, TContext context,
        out EntityHandle generic, out ImmutableArray<T> arguments)
    {
        generic = default;
        arguments = ImmutableArray<T>.Empty;
        var reader = md.GetBlobReader(md.GetTypeSpecification(spec).Signature);
        if (reader.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return false;
        reader.ReadSignatureTypeCode(); // class or valuetype
        generic = reader.ReadTypeHandle();
        int count = reader.ReadCompressedInteger();
        var decoder = new SignatureDecoder<T, TContext>(provider, md, context);
        var args = ImmutableArray.CreateBuilder<T>(count);
        for (int i = 0; i < count; i++) args.Add(decoder.DecodeType(ref reader));
        arguments = args.MoveToImmutable();
        return true;
    }
}
