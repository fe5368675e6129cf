// os/compiler/Gate: how many bytes a value of a type takes where it is stored inline: on the
// stack (a local, an argument, a temporary), or inside another struct. A struct is as large as its
// instance fields laid out in order with natural alignment (an upper bound of what the runtime's own
// layout packs), an [InlineArray(n)] n times its element, at least its declared StructLayout Size;
// a reference, array or pointer is 8 bytes. The domain's own types are read from its metadata; types
// of the base library, the ABI and the IDL from the runtime that has them loaded (the trusted kernel;
// nothing of the domain runs), including generic structs such as ValueTuple instantiated with the
// domain's types. A type parameter with no known argument counts as a reference: its instantiations
// are measured where they are written. StackLimits uses this to cap types and frames.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;

namespace RedLeaf.Os.Compiler.Gate;

/// <summary>A type as the size computation sees it: its inline size and alignment, whether it is a
/// value type, and for a generic definition the handle to instantiate it from.</summary>
internal readonly record struct Footprint(long Size, int Align, bool IsValue, string Name = "", EntityHandle Generic = default, Type? Runtime = null)
{
    public static readonly Footprint Reference = new(8, 8, false);

    public static Footprint Value(long size, int align, string name = "") => new(Math.Min(size, ValueSizes.Huge), Math.Clamp(align, 1, 8), true, name);
}

/// <summary>Type arguments in scope while decoding: the enclosing type's (!n) and method's (!!n).</summary>
internal sealed record GenericScope(ImmutableArray<Footprint> Type, ImmutableArray<Footprint> Method)
{
    public static readonly GenericScope None = new(ImmutableArray<Footprint>.Empty, ImmutableArray<Footprint>.Empty);
}

internal sealed class ValueSizes : ISignatureTypeProvider<Footprint, GenericScope?>
{
    /// <summary>Sizes saturate here (a terabyte): far above any limit, never overflows.</summary>
    public const long Huge = 1L << 40;

    private const string InlineArray = "System.Runtime.CompilerServices.InlineArrayAttribute";
    private static readonly ConcurrentDictionary<Type, Footprint> RuntimeSizes = new();
    private readonly MetadataReader _md;
    private readonly Dictionary<TypeDefinitionHandle, Footprint> _defined = new();
    private readonly HashSet<TypeDefinitionHandle> _measuring = new();

    public ValueSizes(MetadataReader md) => _md = md;

    /// <summary>Generic value types instantiated above the limit since the last <see cref="TakeOversized"/>
    /// (a struct the domain declares is measured at its declaration instead).</summary>
    private readonly List<Footprint> _oversized = new();

    public long Limit { get; init; } = long.MaxValue;

    public IReadOnlyList<Footprint> TakeOversized()
    {
        if (_oversized.Count == 0) return Array.Empty<Footprint>();
        var found = _oversized.DistinctBy(f => f.Name).ToList();
        _oversized.Clear();
        return found;
    }

    /// <summary>A type token (definition, reference or specification) in <paramref name="scope"/>.</summary>
    public Footprint OfToken(EntityHandle h, GenericScope? scope = null) => h.Kind switch
    {
        HandleKind.TypeDefinition => GetTypeFromDefinition(_md, (TypeDefinitionHandle)h, 0),
        HandleKind.TypeReference => GetTypeFromReference(_md, (TypeReferenceHandle)h, 0),
        HandleKind.TypeSpecification => GetTypeFromSpecification(_md, scope, (TypeSpecificationHandle)h, 0),
        _ => Footprint.Reference,
    };

    /// <summary>A non-generic type the domain declares, as declared.</summary>
    public Footprint OfDefinition(TypeDefinitionHandle h) => GetTypeFromDefinition(_md, h, 0);

    public Footprint GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        var t = _md.GetTypeDefinition(handle);
        string name = MetadataNames.Display(MetadataNames.FullName(_md, handle));
        if (!IsValueType(t)) return Footprint.Reference with { Name = name };
        if (t.GetGenericParameters().Count > 0) return new Footprint(8, 8, true, name, handle);
        if (_defined.TryGetValue(handle, out var known)) return known;
        if (!_measuring.Add(handle)) return Footprint.Value(Huge, 8, name); // a struct that contains itself cannot be laid out
        try { return _defined[handle] = Layout(handle, GenericScope.None) with { Name = name }; }
        finally { _measuring.Remove(handle); }
    }

    public Footprint GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var name = MetadataNames.OfReference(reader, handle);
        var type = Resolve(name);
        if (type is null) return rawTypeKind == 0x11 ? Footprint.Value(16, 8, name.Display) : Footprint.Reference with { Name = name.Display }; // unknown: the refusal is the allow-list's
        if (!type.IsValueType) return Footprint.Reference with { Name = name.Display };
        return type.IsGenericTypeDefinition ? new Footprint(8, 8, true, name.Display, handle, type) : OfRuntime(type, Array.Empty<Footprint>()) with { Name = name.Display };
    }

    public Footprint GetTypeFromSpecification(MetadataReader reader, GenericScope? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public Footprint GetGenericInstantiation(Footprint genericType, ImmutableArray<Footprint> typeArguments)
    {
        if (!genericType.IsValue) return Footprint.Reference;
        string name = $"{genericType.Name}<{string.Join(", ", typeArguments.Select(a => a.Name.Length == 0 ? "?" : a.Name))}>";
        Footprint result;
        if (genericType.Runtime is { } open) result = OfRuntime(open, typeArguments.ToArray());
        else if (genericType.Generic.Kind == HandleKind.TypeDefinition)
        {
            var h = (TypeDefinitionHandle)genericType.Generic;
            if (!_measuring.Add(h)) result = Footprint.Value(Huge, 8); // a struct that contains itself cannot be laid out
            else
            {
                try { result = Layout(h, new GenericScope(typeArguments, ImmutableArray<Footprint>.Empty)); }
                finally { _measuring.Remove(h); }
            }
        }
        else return genericType;
        result = result with { Name = name };
        if (result.Size > Limit) _oversized.Add(result);
        return result;
    }

    public Footprint GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean or PrimitiveTypeCode.Byte or PrimitiveTypeCode.SByte => Footprint.Value(1, 1, typeCode.ToString()),
        PrimitiveTypeCode.Char or PrimitiveTypeCode.Int16 or PrimitiveTypeCode.UInt16 => Footprint.Value(2, 2, typeCode.ToString()),
        PrimitiveTypeCode.Int32 or PrimitiveTypeCode.UInt32 or PrimitiveTypeCode.Single => Footprint.Value(4, 4, typeCode.ToString()),
        PrimitiveTypeCode.Int64 or PrimitiveTypeCode.UInt64 or PrimitiveTypeCode.Double or PrimitiveTypeCode.IntPtr or PrimitiveTypeCode.UIntPtr => Footprint.Value(8, 8, typeCode.ToString()),
        PrimitiveTypeCode.TypedReference => Footprint.Value(16, 8, "TypedReference"),
        PrimitiveTypeCode.Void => new Footprint(0, 1, false, "void"),
        _ => Footprint.Reference with { Name = typeCode.ToString() }, // object, string
    };

    public Footprint GetSZArrayType(Footprint elementType) => Footprint.Reference;
    public Footprint GetArrayType(Footprint elementType, ArrayShape shape) => Footprint.Reference;
    public Footprint GetByReferenceType(Footprint elementType) => Footprint.Reference;
    public Footprint GetPointerType(Footprint elementType) => Footprint.Reference;
    public Footprint GetFunctionPointerType(MethodSignature<Footprint> signature) => Footprint.Reference;
    public Footprint GetPinnedType(Footprint elementType) => elementType;
    public Footprint GetModifiedType(Footprint modifier, Footprint unmodifiedType, bool isRequired) => unmodifiedType;

    public Footprint GetGenericTypeParameter(GenericScope? genericContext, int index) =>
        genericContext is not null && index < genericContext.Type.Length ? genericContext.Type[index] : Footprint.Reference;

    public Footprint GetGenericMethodParameter(GenericScope? genericContext, int index) =>
        genericContext is not null && index < genericContext.Method.Length ? genericContext.Method[index] : Footprint.Reference;

    private bool IsValueType(TypeDefinition t)
    {
        var b = t.BaseType;
        if (b.Kind != HandleKind.TypeReference) return false;
        var n = MetadataNames.OfReference(_md, (TypeReferenceHandle)b).FullName;
        return n is "System.ValueType" or "System.Enum";
    }

    /// <summary>A struct the domain declares, its type parameters standing for <paramref name="scope"/>.</summary>
    private Footprint Layout(TypeDefinitionHandle h, GenericScope scope)
    {
        var t = _md.GetTypeDefinition(h);
        long offset = 0;
        int align = 1;
        Footprint? only = null;
        int fields = 0;
        foreach (var fh in t.GetFields())
        {
            var f = _md.GetFieldDefinition(fh);
            if ((f.Attributes & FieldAttributes.Static) != 0) continue;
            var ft = f.DecodeSignature(this, scope);
            Place(ref offset, ref align, ft);
            only = ft;
            fields++;
        }
        if (InlineArrayLength(t) is { } length && fields == 1 && only is { } element)
        {
            long stride = Round(element.Size, element.Align);
            offset = Saturate(stride, length);
            align = element.Align;
        }
        var layout = t.GetLayout();
        long declared = layout.IsDefault ? 0 : layout.Size;
        return Footprint.Value(Math.Max(Round(Math.Max(offset, 1), align), declared), align);
    }

    private long? InlineArrayLength(TypeDefinition t)
    {
        foreach (var ah in t.GetCustomAttributes())
        {
            var a = _md.GetCustomAttribute(ah);
            if (a.Constructor.Kind != HandleKind.MemberReference) continue;
            var parent = _md.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference || MetadataNames.OfReference(_md, (TypeReferenceHandle)parent).FullName != InlineArray) continue;
            var blob = _md.GetBlobReader(a.Value);
            if (blob.Length < 6 || blob.ReadUInt16() != 1) return null;
            return Math.Max(blob.ReadInt32(), 0);
        }
        return null;
    }

    /// <summary>A base-library (or ABI, IDL) value type, its type parameters standing for <paramref name="args"/>.</summary>
    private static Footprint OfRuntime(Type type, Footprint[] args)
    {
        if (args.Length == 0 && RuntimeSizes.TryGetValue(type, out var known)) return known;
        var size = MeasureRuntime(type, args, 0);
        if (args.Length == 0) RuntimeSizes[type] = size;
        return size;
    }

    private static Footprint MeasureRuntime(Type type, Footprint[] args, int depth)
    {
        if (type.IsGenericParameter) return type.GenericParameterPosition < args.Length && type.DeclaringMethod is null ? args[type.GenericParameterPosition] : Footprint.Reference;
        if (!type.IsValueType || type.IsPointer || type.IsByRef) return Footprint.Reference;
        if (type.IsEnum) return MeasureRuntime(Enum.GetUnderlyingType(type), args, depth + 1);
        if (type.IsPrimitive) return type == typeof(bool) || type == typeof(byte) || type == typeof(sbyte) ? Footprint.Value(1, 1)
            : type == typeof(char) || type == typeof(short) || type == typeof(ushort) ? Footprint.Value(2, 2)
            : type == typeof(int) || type == typeof(uint) || type == typeof(float) ? Footprint.Value(4, 4) : Footprint.Value(8, 8);
        if (depth > 32) return Footprint.Value(Huge, 8);
        long offset = 0;
        int align = 1;
        Footprint? only = null;
        int fields = 0;
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        foreach (var f in definition.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            var ft = f.FieldType.ContainsGenericParameters ? Substituted(f.FieldType, args, depth) : MeasureRuntime(f.FieldType, args, depth + 1);
            Place(ref offset, ref align, ft);
            only = ft;
            fields++;
        }
        if (definition.GetCustomAttribute<System.Runtime.CompilerServices.InlineArrayAttribute>() is { } inline && fields == 1 && only is { } element)
        {
            offset = Saturate(Round(element.Size, element.Align), inline.Length);
            align = element.Align;
        }
        long declared = definition.StructLayoutAttribute?.Size ?? 0;
        return Footprint.Value(Math.Max(Round(Math.Max(offset, 1), align), declared), align);
    }

    /// <summary>A field type that mentions the enclosing type's parameters (T, Nullable&lt;T&gt;, ValueTuple&lt;T, int&gt;).</summary>
    private static Footprint Substituted(Type fieldType, Footprint[] args, int depth)
    {
        if (fieldType.IsGenericParameter) return MeasureRuntime(fieldType, args, depth + 1);
        if (!fieldType.IsValueType) return Footprint.Reference;
        if (fieldType.IsGenericType)
        {
            var inner = fieldType.GetGenericArguments().Select(a => a.ContainsGenericParameters ? Substituted(a, args, depth + 1) : MeasureRuntime(a, args, depth + 1)).ToArray();
            return MeasureRuntime(fieldType.GetGenericTypeDefinition(), inner, depth + 1);
        }
        return MeasureRuntime(fieldType, args, depth + 1);
    }

    /// <summary>The runtime's type for a name the domain refers to (null for its own types or an unknown name).</summary>
    internal static Type? Resolve(TypeRefName name)
    {
        if (name.IsOwn || name.Assembly.StartsWith(TypeRefName.ModulePrefix, StringComparison.Ordinal)) return null;
        try
        {
            // An interface set lives in its own load context, where a lookup by name from here does not look.
            return Type.GetType($"{name.FullName}, {name.Assembly}", throwOnError: false)
                ?? Domains.SharedAssemblies.Loaded(name.Assembly)?.GetType(name.FullName, throwOnError: false);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { return null; }
    }

    private static void Place(ref long offset, ref int align, Footprint field)
    {
        int a = field.IsValue ? field.Align : 8;
        offset = Math.Min(Round(offset, a) + field.Size, Huge);
        align = Math.Max(align, a);
    }

    private static long Round(long n, int align) => Math.Min((n + align - 1) / align * align, Huge);

    private static long Saturate(long a, long b) => a == 0 || b == 0 ? 0 : a > Huge / b ? Huge : a * b;
}
