// os/compiler/Gate: recursion the stack guard cannot see (RLGATE020). Some values compare,
// hash and print themselves by asking the same of what they hold, in code the instrumentation never
// reaches: the base library's tuples (Tuple, ValueTuple: Equals, GetHashCode, ToString, CompareTo),
// KeyValuePair and Lazy (ToString), and the anonymous types the C# compiler generates. When what such a
// value holds is typed so that it can be another such value (object, ValueType, an interface the
// tuples implement, or a type parameter, which may be any of these), a domain can build a chain of
// them as long as it likes, and one Equals or ToString over it recurses through the whole chain with
// no guard on the way: a stack overflow, which ends the whole process, not just the domain.
// So a domain may not instantiate such a "container" over such an "open" element, wherever the
// instantiation shows: a type it names (TypeSpec, local, field, signature), a generic method's
// result or parameters with its type arguments put in (Enumerable.Zip<object, object> yields
// ValueTuple<object, object>), a member of a generic type with the type's arguments put in
// (Dictionary<string, object>.Enumerator.Current is a KeyValuePair<string, object>), and what a base
// library generic type enumerates (a Dictionary<string, object> boxes KeyValuePair<string, object>
// when enumerated as a plain IEnumerable, which names nothing). Elements of the domain's own types
// are fine: their Equals, GetHashCode and ToString are domain code, which the instrumentation guards
// (records included, see Instrumenter.Records.cs).
// Adding a container here means adding the interfaces it implements to OpenInterfaces.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

/// <summary>A type as this check sees it: how to name it, whether it is open (may hold a container),
/// and the first container over an open element found inside it, with that element.</summary>
internal readonly record struct Nest(string Display, bool Open = false, string? Container = null, string? Element = null, string? Via = null)
{
    public bool Offends => Container is not null;

    public static Nest Closed(string display) => new(display);

    public static Nest OpenAs(string display) => new(display, Open: true);
}

/// <summary>Type arguments in scope while decoding: the enclosing type's (!n) and method's (!!n);
/// without one, a type parameter is open.</summary>
internal sealed record NestScope(ImmutableArray<Nest> Type, ImmutableArray<Nest> Method);

internal sealed class UnguardedRecursion : ISignatureTypeProvider<Nest, NestScope?>
{
    /// <summary>Base-library types whose Equals, GetHashCode, ToString or CompareTo call the same on
    /// what they hold (metadata names, with arity).</summary>
    private static readonly HashSet<string> Containers = new(StringComparer.Ordinal)
    {
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5", "System.ValueTuple`6",
        "System.ValueTuple`7", "System.ValueTuple`8", "System.Collections.Generic.KeyValuePair`2", "System.Lazy`1", "System.Lazy`2",
    };

    /// <summary>Types a container can be stored as, besides object and type parameters: the interfaces
    /// the containers above implement (ValueTuple's IEquatable/IComparable of itself name a container).</summary>
    private static readonly HashSet<string> OpenInterfaces = new(StringComparer.Ordinal)
    {
        "System.Object", "System.ValueType", "System.IComparable", "System.Collections.IStructuralEquatable",
        "System.Collections.IStructuralComparable", "System.Runtime.CompilerServices.ITuple",
    };

    private const string AnonymousPrefix = "<>f__AnonymousType";

    /// <summary>Per base-library generic definition: the element types it enumerates (IEnumerable&lt;X&gt;,
    /// IEnumerator&lt;X&gt;) that are or contain a container, in terms of its own type parameters.</summary>
    private static readonly ConcurrentDictionary<Type, Type[]> Enumerated = new();

    private readonly MetadataReader _md;
    private readonly Dictionary<(EntityHandle, bool), Nest> _tokens = new();

    /// <summary>Set while the gate reads the members of an anonymous type itself, whose code names the
    /// type over its own parameters: there they are not open (the type is judged where it is created).</summary>
    public bool InsideAnonymousType { get; set; }

    public static bool IsAnonymousType(string metadataName) => metadataName.StartsWith(AnonymousPrefix, StringComparison.Ordinal);

    public UnguardedRecursion(MetadataReader md) => _md = md;

    // ---- what the gate asks ------------------------------------------------------------------------

    /// <summary>A type token (definition, reference, specification) as the domain uses it.</summary>
    public Nest OfType(EntityHandle h)
    {
        if (h.Kind != HandleKind.TypeSpecification) return Nest.Closed("");
        if (!_tokens.TryGetValue((h, InsideAnonymousType), out var n))
            _tokens[(h, InsideAnonymousType)] = n = _md.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(this, null);
        return n;
    }

    /// <summary>A method token: a generic method's arguments, and its signature with them (and its
    /// type's arguments) put in; a member of a generic type, its signature with the type's arguments.</summary>
    public Nest OfMethod(EntityHandle h)
    {
        if (_tokens.TryGetValue((h, InsideAnonymousType), out var known)) return known;
        Nest found = Nest.Closed("");
        if (h.Kind == HandleKind.MethodSpecification)
        {
            var spec = _md.GetMethodSpecification((MethodSpecificationHandle)h);
            var args = spec.DecodeSignature(this, null);
            found = First(args) ?? Signature(spec.Method, args) ?? found;
        }
        else if (h.Kind == HandleKind.MemberReference) found = Signature(h, ImmutableArray<Nest>.Empty) ?? found;
        return _tokens[(h, InsideAnonymousType)] = found;
    }

    /// <summary>A local signature, a field's or a method's own signature, decoded as declared.</summary>
    public Nest? OfLocals(StandaloneSignatureHandle h) => First(_md.GetStandaloneSignature(h).DecodeLocalSignature(this, null));

    public Nest? OfField(FieldDefinitionHandle h) => _md.GetFieldDefinition(h).DecodeSignature(this, null) is { Offends: true } n ? n : null;

    public Nest? OfMethodDefinition(MethodDefinitionHandle h)
    {
        var sig = _md.GetMethodDefinition(h).DecodeSignature(this, null);
        return First(sig.ParameterTypes.Add(sig.ReturnType));
    }

    /// <summary>Base-library members that wrap a collection given as an interface, forwarding each call to it
    /// (type metadata name, member, parameter count): a wrapper of a wrapper of ... makes one Count or
    /// indexer call recurse through the chain. Wrapping a concrete collection (List&lt;T&gt;.AsReadOnly(),
    /// Dictionary's AsReadOnly through IDictionary is refused too) stays allowed.</summary>
    private static readonly (string Type, string Member, int Parameters, string Instead)[] ChainingWrappers =
    {
        ("System.Collections.ObjectModel.ReadOnlyCollection`1", ".ctor", 1, "call AsReadOnly() on a List<T>, or copy into a new list"),
        ("System.Collections.ObjectModel.Collection`1", ".ctor", 1, "derive from Collection<T> with its parameterless constructor, or copy into a new list"),
        ("System.Collections.ObjectModel.ReadOnlyDictionary`2", ".ctor", 1, "copy into a new Dictionary, or keep the dictionary private"),
        ("System.Collections.Generic.CollectionExtensions", "AsReadOnly", 1, "call AsReadOnly() on a List<T> itself, or copy into a new list"),
    };

    /// <summary>Why using member <paramref name="name"/> of <paramref name="typeName"/> (a metadata name) with
    /// <paramref name="parameters"/> parameters builds a chain of wrappers the stack guard cannot see, or null.</summary>
    public static string? WrapperChain(string typeName, string name, int parameters)
    {
        foreach (var w in ChainingWrappers)
            if (w.Type == typeName && w.Member == name && w.Parameters == parameters)
                return $"it wraps a collection it is given as an interface and forwards every call to it, in the base library, where the stack guard " +
                    $"does not reach; a wrapper of a wrapper of ... (built in a loop) makes one call recurse through the whole chain and overflow the stack, which ends the whole process. Instead: {w.Instead}";
        return null;
    }

    /// <summary>The refusal's text for an offending type: what is used, and why it is refused.</summary>
    public static string Describe(Nest n) =>
        (n.Via is null ? n.Container : $"{n.Via}, which enumerates {n.Container}") +
        $": it holds a value of type {n.Element}, which can be another {Kind(n.Container!)}. Equals, GetHashCode, ToString and " +
        $"CompareTo of such a value call the same on what it holds, in {(n.Container!.StartsWith("new {", StringComparison.Ordinal) ? "code the C# compiler generates" : "the base library")}, " +
        "where the stack guard does not reach, so a long enough chain of them overflows the stack, which ends the whole process. " +
        $"Give the element a type of your own (a class, a struct or a record) instead of {n.Element}";

    private static string Kind(string container) =>
        container.StartsWith("new {", StringComparison.Ordinal) ? "anonymous object"
        : container.StartsWith("System.KeyValuePair", StringComparison.Ordinal) || container.StartsWith("System.Collections.Generic.KeyValuePair", StringComparison.Ordinal) ? "key-value pair"
        : container.StartsWith("System.Lazy", StringComparison.Ordinal) ? "Lazy"
        : "tuple";

    private static Nest? First(IEnumerable<Nest> types)
    {
        foreach (var t in types) if (t.Offends) return t;
        return null;
    }

    /// <summary>The parameters and result of a method (or the type of a field) with the arguments of its
    /// generic type and of the method instantiation put in.</summary>
    private Nest? Signature(EntityHandle method, ImmutableArray<Nest> methodArgs)
    {
        ImmutableArray<Nest> typeArgs = ImmutableArray<Nest>.Empty;
        BlobHandle blob;
        if (method.Kind == HandleKind.MemberReference)
        {
            var m = _md.GetMemberReference((MemberReferenceHandle)method);
            if (m.Parent.Kind == HandleKind.TypeSpecification) GenericInstance.TryRead(_md, (TypeSpecificationHandle)m.Parent, this, (NestScope?)null, out _, out typeArgs);
            else if (methodArgs.IsEmpty) return null; // not generic at all: its signature names only what the gate already read
            blob = m.Signature;
        }
        else if (method.Kind == HandleKind.MethodDefinition) blob = _md.GetMethodDefinition((MethodDefinitionHandle)method).Signature;
        else return null;
        var scope = new NestScope(typeArgs, methodArgs);
        var reader = _md.GetBlobReader(blob);
        var decoder = new SignatureDecoder<Nest, NestScope?>(this, _md, scope);
        var header = reader.ReadSignatureHeader();
        if (header.Kind == SignatureKind.Field) return decoder.DecodeType(ref reader) is { Offends: true } f ? f : null;
        reader.Reset();
        var sig = decoder.DecodeMethodSignature(ref reader);
        return First(sig.ParameterTypes.Add(sig.ReturnType));
    }

    // ---- the signature decoder's callbacks ---------------------------------------------------------

    public Nest GetPrimitiveType(PrimitiveTypeCode typeCode) =>
        typeCode == PrimitiveTypeCode.Object ? Nest.OpenAs("object") : Nest.Closed(ShapeProvider.PrimitiveName(typeCode));

    public Nest GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        Nest.Closed(MetadataNames.FullName(reader, handle)); // the domain's own types (an anonymous type is judged when instantiated)

    public Nest GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var name = MetadataNames.OfReference(reader, handle);
        if (!name.IsOwn && OpenInterfaces.Contains(name.FullName)) return Nest.OpenAs(name.Display);
        return Nest.Closed(name.FullName.Contains('`') ? name.FullName : name.Display); // a generic definition keeps its metadata name until instantiated
    }

    public Nest GetTypeFromSpecification(MetadataReader reader, NestScope? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public Nest GetSZArrayType(Nest elementType) => elementType with { Display = elementType.Display + "[]", Open = false };

    public Nest GetArrayType(Nest elementType, ArrayShape shape) => elementType with { Display = elementType.Display + "[,]", Open = false };

    public Nest GetByReferenceType(Nest elementType) => elementType;

    public Nest GetPointerType(Nest elementType) => elementType with { Open = false };

    public Nest GetPinnedType(Nest elementType) => elementType;

    public Nest GetModifiedType(Nest modifier, Nest unmodifiedType, bool isRequired) => unmodifiedType;

    public Nest GetFunctionPointerType(MethodSignature<Nest> signature) => Nest.Closed("delegate*");

    public Nest GetGenericTypeParameter(NestScope? genericContext, int index) =>
        genericContext is not null && index < genericContext.Type.Length ? genericContext.Type[index]
        : InsideAnonymousType ? Nest.Closed($"T{index}") : Nest.OpenAs("a type parameter");

    public Nest GetGenericMethodParameter(NestScope? genericContext, int index) =>
        genericContext is not null && index < genericContext.Method.Length ? genericContext.Method[index] : Nest.OpenAs("a type parameter");

    public Nest GetGenericInstantiation(Nest genericType, ImmutableArray<Nest> typeArguments)
    {
        string display = $"{MetadataNames.Display(genericType.Display)}<{string.Join(", ", typeArguments.Select(a => a.Display))}>";
        if (First(typeArguments) is { } inner) return inner with { Display = display, Open = false };
        var open = typeArguments.FirstOrDefault(a => a.Open);
        bool anonymous = genericType.Display.StartsWith(AnonymousPrefix, StringComparison.Ordinal);
        if (open.Display is not null && (anonymous || Containers.Contains(genericType.Display)))
        {
            string shown = anonymous ? AnonymousDisplay(genericType.Display, typeArguments) : display;
            return new Nest(shown, Container: shown, Element: open.Display);
        }
        return EnumeratedOffense(genericType.Display, typeArguments) is { } enumerated ? enumerated with { Display = display, Via = display } : Nest.Closed(display);
    }

    /// <summary>`new { Next = object, I = int }` from the anonymous type's parameter names (&lt;Next&gt;j__TPar).</summary>
    private string AnonymousDisplay(string fullName, ImmutableArray<Nest> args)
    {
        foreach (var th in _md.TypeDefinitions)
        {
            if (MetadataNames.FullName(_md, th) != fullName) continue;
            var names = _md.GetTypeDefinition(th).GetGenericParameters().Select(p => _md.GetString(_md.GetGenericParameter(p).Name))
                .Select(n => n.StartsWith('<') && n.IndexOf('>') is > 1 and var end ? n[1..end] : n).ToList();
            if (names.Count == args.Length) return "new { " + string.Join(", ", names.Select((n, i) => $"{n} = {args[i].Display}")) + " }";
        }
        return "an anonymous type";
    }

    /// <summary>A base-library generic type that enumerates containers of its own type arguments
    /// (Dictionary&lt;K, V&gt; enumerates KeyValuePair&lt;K, V&gt;), with the arguments put in.</summary>
    private static Nest? EnumeratedOffense(string fullName, ImmutableArray<Nest> args)
    {
        if (RuntimeDefinition(fullName) is not { } definition) return null;
        foreach (var element in Enumerated.GetOrAdd(definition, EnumeratedContainers))
            if (Substitute(element, args) is { Offends: true } n) return n;
        return null;
    }

    private static readonly ConcurrentDictionary<string, Type?> Definitions = new(StringComparer.Ordinal);

    /// <summary>The runtime's generic definition for a base-library metadata name, if it has one.</summary>
    private static Type? RuntimeDefinition(string fullName) =>
        fullName.IndexOf('`') < 0 || fullName.StartsWith('<') ? null : Definitions.GetOrAdd(fullName, FindDefinition);

    private static Type? FindDefinition(string fullName)
    {
        foreach (var assembly in new[] { "System.Private.CoreLib", "System.Collections", "System.Linq", "System.Runtime" })
        {
            try
            {
                if (Type.GetType($"{fullName}, {assembly}", throwOnError: false) is { IsGenericTypeDefinition: true } t) return t;
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { }
        }
        return null;
    }

    private static Type[] EnumeratedContainers(Type definition) => definition.GetInterfaces()
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() is var g && (g == typeof(IEnumerable<>) || g == typeof(IEnumerator<>)))
        .Select(i => i.GetGenericArguments()[0])
        .Where(MentionsContainer).Distinct().ToArray();

    private static bool MentionsContainer(Type t) => t.IsConstructedGenericType
        && (Containers.Contains(t.GetGenericTypeDefinition().FullName ?? "") || t.GetGenericArguments().Any(MentionsContainer));

    /// <summary>A runtime type over the definition's parameters, with the domain's arguments put in.</summary>
    private static Nest Substitute(Type t, ImmutableArray<Nest> args)
    {
        if (t.IsGenericParameter) return t.GenericParameterPosition < args.Length ? args[t.GenericParameterPosition] : Nest.OpenAs("a type parameter");
        if (!t.IsConstructedGenericType) return OpenInterfaces.Contains(t.FullName ?? "") ? Nest.OpenAs(t.Name) : Nest.Closed(t.Name);
        var inner = t.GetGenericArguments().Select(a => Substitute(a, args)).ToImmutableArray();
        string name = t.GetGenericTypeDefinition().FullName ?? t.Name;
        string display = $"{MetadataNames.Display(name)}<{string.Join(", ", inner.Select(a => a.Display))}>";
        if (First(inner) is { } found) return found;
        var open = inner.FirstOrDefault(a => a.Open);
        return open.Display is not null && Containers.Contains(name) ? new Nest(display, Container: display, Element: open.Display) : Nest.Closed(display);
    }
}
