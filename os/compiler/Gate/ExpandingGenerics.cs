// os/compiler/Gate: generic code that instantiates itself with ever bigger type arguments
// (RLGATE019). `Grow<T>(T v) => Grow(new Pair<T>(v, v))` makes Pair<T>, Pair<Pair<T>>, ... one per
// call: a type no line of the image names, which the runtime creates (and the JIT compiles for) at run
// time, without bound. Over a struct it doubles the frame at every level, so by the twentieth call one
// frame is larger than the stack guard's headroom and jumps over it: a stack overflow, which ends the
// whole process. ECMA-335 II.9.2 calls this an expanding cycle: a cycle in the graph of which generic
// parameter flows into which, with at least one edge that wraps the parameter in a constructed type
// (T into Pair<T>) rather than passing it as it is (T into U).
// Nodes are the generic parameters of the domain's own types and methods; edges come from every
// instantiation of one of them in a body (a generic method called or made into a delegate, a member of
// a generic type used, a generic type named). A virtual generic method is joined with the domain's
// other virtual generic methods of the same name and arity (an interface method with its
// implementations), since a call to one may run the other; so is a static generic method that implements
// an interface's `static abstract` one (named in the MethodImpl table: a constrained call `M.Make<V>()` on a
// type parameter runs it). An instantiation of a domain generic type nested in a type argument is an
// instantiation too (`Run<Pair<Pair<T>>>()` makes Pair<Pair<T>>, from Pair<T>'s own code): the type it
// makes is the one whose members a constrained call (`U.Go()`, `u.Step()`) later runs, so the cycle
// through the constrained call closes on it. The base library's generics are not nodes:
// they cannot call the domain's generic methods with new arguments.
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class ExpandingGenerics
{
    /// <summary>A generic parameter of the domain's: its owner (a TypeDefinition or MethodDefinition) and position.</summary>
    private readonly record struct Node(EntityHandle Owner, int Index);

    private readonly record struct Edge(Node From, Node To, bool Expanding, MethodDefinitionHandle In, int Offset, string Target);

    /// <summary>The parameters a type argument mentions, and whether it is exactly one of them.</summary>
    private readonly record struct Mentions(ImmutableArray<(bool Method, int Index)> Parameters, bool Bare, string Display, EntityHandle Definition = default)
    {
        public static readonly Mentions None = new(ImmutableArray<(bool, int)>.Empty, false, "");
    }

    private sealed class Provider : ISignatureTypeProvider<Mentions, object?>
    {
        public Mentions GetPrimitiveType(PrimitiveTypeCode typeCode) => Mentions.None with { Display = ShapeProvider.PrimitiveName(typeCode) };
        public Mentions GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Mentions.None with { Display = MetadataNames.Display(MetadataNames.FullName(reader, handle)), Definition = handle };
        public Mentions GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Mentions.None with { Display = MetadataNames.OfReference(reader, handle).Display };
        public Mentions GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public Mentions GetSZArrayType(Mentions elementType) => Wrapped(elementType, elementType.Display + "[]");
        public Mentions GetArrayType(Mentions elementType, ArrayShape shape) => Wrapped(elementType, elementType.Display + "[,]");
        public Mentions GetByReferenceType(Mentions elementType) => elementType;
        public Mentions GetPointerType(Mentions elementType) => Wrapped(elementType, elementType.Display + "*");
        public Mentions GetPinnedType(Mentions elementType) => elementType;
        public Mentions GetModifiedType(Mentions modifier, Mentions unmodifiedType, bool isRequired) => unmodifiedType;
        public Mentions GetFunctionPointerType(MethodSignature<Mentions> signature) => Mentions.None with { Display = "delegate*" };
        public Mentions GetGenericTypeParameter(object? genericContext, int index) => new(ImmutableArray.Create((false, index)), true, $"!{index}");
        public Mentions GetGenericMethodParameter(object? genericContext, int index) => new(ImmutableArray.Create((true, index)), true, $"!!{index}");

        /// <summary>Instantiations of the domain's generic types met while decoding (nested ones included).</summary>
        public readonly List<(EntityHandle Generic, ImmutableArray<Mentions> Arguments)> Instantiations = new();

        public Mentions GetGenericInstantiation(Mentions genericType, ImmutableArray<Mentions> typeArguments)
        {
            if (genericType.Definition.Kind == HandleKind.TypeDefinition) Instantiations.Add((genericType.Definition, typeArguments));
            return new(typeArguments.SelectMany(a => a.Parameters).Distinct().ToImmutableArray(), false,
                $"{genericType.Display}<{string.Join(", ", typeArguments.Select(a => a.Display))}>");
        }

        private static Mentions Wrapped(Mentions inner, string display) => inner with { Bare = false, Display = display };
    }

    private readonly GateContext _ctx;
    private readonly Provider _provider = new();
    private readonly HashSet<Edge> _edges = new();

    public ExpandingGenerics(GateContext ctx) => _ctx = ctx;

    private MetadataReader Md => _ctx.Md;

    /// <summary>Records the instantiations in one body.</summary>
    public void Body(MethodDefinitionHandle m, IReadOnlyList<IlInstruction> il)
    {
        var method = Md.GetMethodDefinition(m);
        var type = method.GetDeclaringType();
        foreach (var ins in il)
        {
            if (!ins.HasToken || ins.OpCode is ILOpCode.Ldstr) continue;
            var h = MetadataTokens.EntityHandle(ins.Token);
            _provider.Instantiations.Clear();
            switch (h.Kind)
            {
                case HandleKind.MethodSpecification:
                    var spec = Md.GetMethodSpecification((MethodSpecificationHandle)h);
                    var args = spec.DecodeSignature(_provider, null);
                    foreach (var target in Targets(spec.Method))
                        Flow(m, type, ins.Offset, args, target, Describe(target, args));
                    if (spec.Method.Kind == HandleKind.MemberReference) Parent(m, type, ins.Offset, Md.GetMemberReference((MemberReferenceHandle)spec.Method).Parent);
                    break;
                case HandleKind.MemberReference:
                    Parent(m, type, ins.Offset, Md.GetMemberReference((MemberReferenceHandle)h).Parent);
                    break;
                case HandleKind.TypeSpecification:
                    Parent(m, type, ins.Offset, h);
                    break;
            }
            foreach (var (generic, args) in _provider.Instantiations.ToArray())
                Flow(m, type, ins.Offset, args, generic, Describe(generic, args));
        }
    }

    /// <summary>A member of a generic type instantiated with <c>X&lt;args&gt;</c>: args flow into X's parameters.</summary>
    private void Parent(MethodDefinitionHandle m, TypeDefinitionHandle type, int offset, EntityHandle parent)
    {
        if (parent.Kind != HandleKind.TypeSpecification) return;
        if (!GenericInstance.TryRead(Md, (TypeSpecificationHandle)parent, _provider, (object?)null, out var generic, out var args)) return;
        if (generic.Kind != HandleKind.TypeDefinition) return; // the base library's: not a node
        Flow(m, type, offset, args, generic, Describe(generic, args));
    }

    /// <summary>The domain's generic method definitions a method token may run: itself, and for a
    /// virtual one every virtual generic method of the domain with the same name and arity.</summary>
    private IEnumerable<EntityHandle> Targets(EntityHandle method)
    {
        string name;
        int arity;
        bool isVirtual;
        if (method.Kind == HandleKind.MethodDefinition)
        {
            var d = Md.GetMethodDefinition((MethodDefinitionHandle)method);
            name = Md.GetString(d.Name);
            arity = d.GetGenericParameters().Count;
            isVirtual = (d.Attributes & MethodAttributes.Virtual) != 0;
            yield return method;
        }
        else if (method.Kind == HandleKind.MemberReference)
        {
            var r = Md.GetMemberReference((MemberReferenceHandle)method);
            name = Md.GetString(r.Name);
            var header = Md.GetBlobReader(r.Signature);
            arity = header.ReadSignatureHeader().IsGeneric ? header.ReadCompressedInteger() : 0;
            isVirtual = true; // a method of a generic domain type, or of another assembly: match by name
        }
        else yield break;
        if (!isVirtual || !VirtualGenerics.TryGetValue((name, arity), out var same)) yield break;
        foreach (var mh in same)
            if (mh != method) yield return mh;
    }

    private Dictionary<(string Name, int Arity), List<MethodDefinitionHandle>>? _virtualGenerics;

    /// <summary>The domain's virtual generic methods by name and arity, gathered once per image.</summary>
    private Dictionary<(string Name, int Arity), List<MethodDefinitionHandle>> VirtualGenerics => _virtualGenerics ??= GatherVirtualGenerics();

    private Dictionary<(string Name, int Arity), List<MethodDefinitionHandle>> GatherVirtualGenerics()
    {
        var found = new Dictionary<(string, int), List<MethodDefinitionHandle>>();
        void Add(string name, int arity, MethodDefinitionHandle mh)
        {
            if (!found.TryGetValue((name, arity), out var list)) found[(name, arity)] = list = new();
            if (!list.Contains(mh)) list.Add(mh);
        }
        foreach (var mh in Md.MethodDefinitions)
        {
            var d = Md.GetMethodDefinition(mh);
            int arity = d.GetGenericParameters().Count;
            if (arity == 0 || (d.Attributes & MethodAttributes.Virtual) == 0) continue;
            Add(Md.GetString(d.Name), arity, mh);
        }
        // A static method implementing a `static abstract` (static virtual) one is not virtual itself; the
        // MethodImpl table names what it implements (explicit or not), under the interface method's name.
        foreach (var ih in Md.TypeDefinitions.SelectMany(t => Md.GetTypeDefinition(t).GetMethodImplementations()))
        {
            var impl = Md.GetMethodImplementation(ih);
            if (impl.MethodBody.Kind != HandleKind.MethodDefinition) continue;
            var body = Md.GetMethodDefinition((MethodDefinitionHandle)impl.MethodBody);
            int arity = body.GetGenericParameters().Count;
            if (arity == 0 || (body.Attributes & MethodAttributes.Static) == 0) continue;
            var declared = impl.MethodDeclaration;
            string? name = declared.Kind switch
            {
                HandleKind.MethodDefinition => Md.GetString(Md.GetMethodDefinition((MethodDefinitionHandle)declared).Name),
                HandleKind.MemberReference => Md.GetString(Md.GetMemberReference((MemberReferenceHandle)declared).Name),
                _ => null,
            };
            if (name is not null) Add(name, arity, (MethodDefinitionHandle)impl.MethodBody);
        }
        return found;
    }

    private void Flow(MethodDefinitionHandle m, TypeDefinitionHandle type, int offset, ImmutableArray<Mentions> args, EntityHandle target, string display)
    {
        for (int j = 0; j < args.Length; j++)
            foreach (var (isMethod, index) in args[j].Parameters)
                _edges.Add(new Edge(new Node(isMethod ? m : type, index), new Node(target, j), !args[j].Bare, m, offset, display));
    }

    private string Describe(EntityHandle target, ImmutableArray<Mentions> args)
    {
        string name = target.Kind == HandleKind.MethodDefinition ? MetadataNames.MethodDisplay(Md, (MethodDefinitionHandle)target)
            : target.Kind == HandleKind.TypeDefinition ? MetadataNames.Display(MetadataNames.FullName(Md, (TypeDefinitionHandle)target)) : "?";
        return $"{name}<{string.Join(", ", args.Select(a => a.Display))}>";
    }

    /// <summary>Refuses every expanding edge that lies on a cycle (both ends in one strongly connected component).</summary>
    public void Report()
    {
        if (!_edges.Any(e => e.Expanding)) return;
        var component = Components();
        foreach (var e in _edges.Where(e => e.Expanding && component[e.From] == component[e.To]))
        {
            string caller = MetadataNames.MethodDisplay(Md, e.In);
            _ctx.Report(_ctx.Locator.At(e.In, e.Offset), GateIds.StackSize,
                $"{caller} instantiates {e.Target}, which (through a cycle of generic calls) instantiates a bigger type at every level: " +
                "the runtime would make a new type, and compile new code, at every call without bound (ECMA-335 II.9.2, an expanding cycle), " +
                "and over a struct each frame doubles until one jumps over the stack guard and ends the whole process; pass the value as it is, or in a class of your own");
        }
    }

    /// <summary>The strongly connected component of every parameter in the graph of edges.</summary>
    private Dictionary<Node, int> Components()
    {
        var next = new Dictionary<Node, List<Node>>();
        foreach (var e in _edges)
        {
            if (!next.TryGetValue(e.From, out var list)) next[e.From] = list = new();
            list.Add(e.To);
        }
        return StronglyConnected.Components(next, EqualityComparer<Node>.Default);
    }
}
