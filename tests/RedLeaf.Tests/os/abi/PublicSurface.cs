// tests/os/abi: renders an assembly's public surface as C#-like text for an approval snapshot: one
// line per type (visibility, modifiers, kind, full name, base and interfaces, constraints), then one
// indented line per public or protected member declared on it, both sorted ordinally, so the text
// depends only on the contract and not on declaration or metadata order. Nullability comes from the
// compiler's annotations (NullabilityInfoContext; not on generic parameters, which it misreads);
// compiler-generated members are left out. Members sort by name, then by their whole line.
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace RedLeaf.Tests.Abi;

internal static class PublicSurface
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Of(Assembly assembly)
    {
        var nullability = new NullabilityInfoContext();
        var sb = new StringBuilder();
        foreach (var t in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            sb.Append(TypeLine(t)).Append('\n');
            var lines = new List<(string Name, string Line)>();
            foreach (var m in t.GetMembers(Declared))
                if (Member(t, m, nullability) is string line) lines.Add((m is ConstructorInfo ? "" : m.Name, line));
            foreach (var (_, line) in lines.OrderBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.Line, StringComparer.Ordinal))
                sb.Append("  ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static string TypeLine(Type t)
    {
        string kind = t switch
        {
            { IsEnum: true } => "enum",
            { IsInterface: true } => "interface",
            { IsValueType: true } => (t.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : "") + (t.IsByRefLike ? "ref " : "") + "struct",
            _ when t.IsSubclassOf(typeof(Delegate)) => "delegate",
            { IsAbstract: true, IsSealed: true } => "static class",
            { IsAbstract: true } => "abstract class",
            { IsSealed: true } => "sealed class",
            _ => "class",
        };
        var line = new StringBuilder((t.IsNestedFamily || t.IsNestedFamORAssem ? "protected " : "public ") + kind + " " + Name(t, declaring: true));
        var bases = new List<string>();
        if (t.IsEnum) bases.Add(Name(Enum.GetUnderlyingType(t)));
        else if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && !t.IsSubclassOf(typeof(Delegate))) bases.Add(Name(b));
        if (!t.IsEnum)
        {
            var inherited = t.BaseType?.GetInterfaces() ?? [];
            bases.AddRange(t.GetInterfaces().Where(i => !inherited.Contains(i) && (i.IsPublic || i.IsNestedPublic)).Select(i => Name(i)).Order(StringComparer.Ordinal));
        }
        if (bases.Count > 0) line.Append(" : ").Append(string.Join(", ", bases));
        if (t.IsSubclassOf(typeof(Delegate)) && t.GetMethod("Invoke") is { } invoke)
            line.Append(" (").Append(Parameters(invoke, new NullabilityInfoContext())).Append(") -> ").Append(Name(invoke.ReturnType));
        line.Append(Constraints(t.IsGenericTypeDefinition ? t.GetGenericArguments().Where(a => a.DeclaringType == t && !(t.DeclaringType?.GetGenericArguments().Any(o => o.Name == a.Name) ?? false)) : []));
        return line.ToString();
    }

    private static string? Member(Type t, MemberInfo m, NullabilityInfoContext nullability)
    {
        if (m.IsDefined(typeof(CompilerGeneratedAttribute))) return null;
        switch (m)
        {
            case FieldInfo f when t.IsEnum:
                return f.IsStatic ? $"{f.Name} = {Convert.ToUInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}" : null;
            case FieldInfo f when Visible(f.IsPublic, f.IsFamily, f.IsFamilyOrAssembly):
                string fieldMods = f.IsLiteral ? "const " : (f.IsStatic ? "static " : "") + (f.IsInitOnly ? "readonly " : "");
                string value = f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "";
                return $"{Access(f.IsPublic)}{fieldMods}{Name(f.FieldType, nullability.Create(f))} {f.Name}{value}";
            case ConstructorInfo c when Visible(c.IsPublic, c.IsFamily, c.IsFamilyOrAssembly):
                return $"{Access(c.IsPublic)}{(c.IsStatic ? "static " : "")}{Name(t, declaring: true)}({Parameters(c, nullability)})";
            case MethodInfo mi when Visible(mi.IsPublic, mi.IsFamily, mi.IsFamilyOrAssembly) && (!mi.IsSpecialName || mi.Name.StartsWith("op_", StringComparison.Ordinal)):
                string generic = mi.IsGenericMethodDefinition ? "<" + string.Join(", ", mi.GetGenericArguments().Select(a => a.Name)) + ">" : "";
                return $"{Access(mi.IsPublic)}{Modifiers(mi, t)}{Name(mi.ReturnType, nullability.Create(mi.ReturnParameter), mi.ReturnParameter)} {mi.Name}{generic}({Parameters(mi, nullability)})"
                    + Constraints(mi.IsGenericMethodDefinition ? mi.GetGenericArguments() : []);
            case PropertyInfo p:
                var accessors = new[] { ("get", p.GetMethod), ("set", p.SetMethod) }
                    .Where(a => a.Item2 is { } am && Visible(am.IsPublic, am.IsFamily, am.IsFamilyOrAssembly)).ToList();
                if (accessors.Count == 0) return null;
                var first = accessors[0].Item2!;
                string indexer = p.GetIndexParameters() is { Length: > 0 } ix ? "this[" + string.Join(", ", ix.Select(x => Parameter(x, nullability))) + "]" : p.Name;
                string init = p.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) == true ? "init" : "set";
                string body = string.Join(" ", accessors.Select(a => (a.Item2!.IsPublic || !first.IsPublic ? "" : "protected ") + (a.Item1 == "set" ? init : "get") + ";"));
                return $"{Access(first.IsPublic)}{Modifiers(first, t)}{Name(p.PropertyType, nullability.Create(p), refOf: first.ReturnParameter)} {indexer} {{ {body} }}";
            case EventInfo e when e.AddMethod is { } add && Visible(add.IsPublic, add.IsFamily, add.IsFamilyOrAssembly):
                return $"{Access(add.IsPublic)}{Modifiers(add, t)}event {Name(e.EventHandlerType!, nullability.Create(e))} {e.Name}";
            case Type nested when nested.IsNestedPublic || nested.IsNestedFamily || nested.IsNestedFamORAssem:
                return $"nested {Name(nested, declaring: true)}";
            default:
                return null;
        }
    }

    private static bool Visible(bool isPublic, bool isFamily, bool isFamilyOrAssembly) => isPublic || isFamily || isFamilyOrAssembly;

    private static string Access(bool isPublic) => isPublic ? "public " : "protected ";

    private static string Modifiers(MethodInfo m, Type declaring)
    {
        if (m.IsStatic) return "static ";
        if (declaring.IsInterface) return m.IsAbstract ? "" : "virtual ";
        bool isOverride = m.GetBaseDefinition().DeclaringType != m.DeclaringType;
        var s = new StringBuilder();
        if (m.IsAbstract) s.Append("abstract ");
        else if (isOverride) s.Append(m.IsFinal ? "sealed override " : "override ");
        else if (m.IsVirtual && !m.IsFinal) s.Append("virtual ");
        if (m.IsDefined(typeof(IsReadOnlyAttribute))) s.Append("readonly ");
        return s.ToString();
    }

    private static string Parameters(MethodBase m, NullabilityInfoContext nullability) =>
        string.Join(", ", m.GetParameters().Select(p => Parameter(p, nullability)));

    private static string Parameter(ParameterInfo p, NullabilityInfoContext nullability)
    {
        string mode = p.ParameterType.IsByRef
            ? p.IsOut ? "out " : p.IsIn || p.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.InteropServices.InAttribute)) ? "in " : p.IsDefined(typeof(RequiresLocationAttribute)) ? "ref readonly " : "ref "
            : p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "";
        var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
        string defaultValue = p.HasDefaultValue ? " = " + Literal(p.RawDefaultValue) : "";
        return $"{mode}{Name(type, nullability.Create(p))} {p.Name}{defaultValue}";
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        char c => "'" + c + "'",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Constraints(IEnumerable<Type> arguments)
    {
        var sb = new StringBuilder();
        foreach (var a in arguments)
        {
            var parts = new List<string>();
            var attrs = a.GenericParameterAttributes;
            bool unmanaged = a.GetCustomAttributesData().Any(d => d.AttributeType.FullName == "System.Runtime.CompilerServices.IsUnmanagedAttribute");
            if (unmanaged) parts.Add("unmanaged");
            else if (attrs.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) parts.Add("struct");
            else if (attrs.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint)) parts.Add("class");
            parts.AddRange(a.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(c => Name(c)).Order(StringComparer.Ordinal));
            if (attrs.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !attrs.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) parts.Add("new()");
            if (attrs.HasFlag(GenericParameterAttributes.AllowByRefLike)) parts.Add("allows ref struct");
            if (parts.Count > 0) sb.Append(" where ").Append(a.Name).Append(" : ").Append(string.Join(", ", parts));
        }
        return sb.ToString();
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(nint)] = "nint",
        [typeof(nuint)] = "nuint",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
        [typeof(char)] = "char",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
    };

    /// <summary>A type as C# writes it: keywords for the built-in types, namespaces otherwise, `?` where annotated
    /// nullable; <paramref name="declaring"/> for the type's own declaration (its generic parameters by name).</summary>
    private static string Name(Type t, NullabilityInfo? n = null, ParameterInfo? refOf = null, bool declaring = false)
    {
        string prefix = "";
        if (t.IsByRef)
        {
            prefix = refOf?.IsDefined(typeof(IsReadOnlyAttribute)) == true ? "ref readonly " : "ref ";
            t = t.GetElementType()!;
        }
        string nullable = n is { ReadState: NullabilityState.Nullable } && !t.IsValueType ? "?" : "";
        if (Nullable.GetUnderlyingType(t) is { } inner) return prefix + Name(inner) + "?";
        if (t.IsGenericParameter) return prefix + t.Name; // NullabilityInfoContext calls an unannotated T nullable: not shown

        if (Keywords.TryGetValue(t, out var keyword)) return prefix + keyword + nullable;
        if (t.IsArray) return prefix + Name(t.GetElementType()!, n?.ElementType) + "[" + new string(',', t.GetArrayRank() - 1) + "]" + nullable;
        if (t.IsPointer) return prefix + Name(t.GetElementType()!) + "*";
        if (t.IsFunctionPointer) return prefix + "delegate*<" + string.Join(", ", t.GetFunctionPointerParameterTypes().Append(t.GetFunctionPointerReturnType()).Select(x => Name(x))) + ">";
        string outer = t.IsNested ? Name(t.DeclaringType!.IsGenericTypeDefinition && t.IsGenericType && !t.IsGenericTypeDefinition
            ? t.DeclaringType!.MakeGenericType(t.GetGenericArguments().Take(t.DeclaringType!.GetGenericArguments().Length).ToArray())
            : t.DeclaringType!, declaring: declaring) + "." : (t.Namespace is { Length: > 0 } ns ? ns + "." : "");
        string name = t.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (t.IsGenericType)
        {
            var all = t.GetGenericArguments();
            int inherited = t.IsNested ? t.DeclaringType!.GetGenericArguments().Length : 0;
            var own = all.Skip(inherited).ToArray();
            var ownNullability = n?.GenericTypeArguments.Skip(inherited).ToArray();
            if (own.Length > 0)
                name += "<" + string.Join(", ", own.Select((a, i) => Name(a, ownNullability is { } on && i < on.Length ? on[i] : null))) + ">";
        }
        return prefix + outer + name + nullable;
    }
}
