// os/kernel/Compiler: decides whether a method body is a leaf: it calls nothing (no method, constructor,
// property, indexer, operator, conversion, delegate, enumerator or string-conversion call, which could
// reach domain code again, possibly through the base library). A leaf cannot recurse, so its entry
// needs only the kernel's stop check, not the stack guard: small hot helpers stay cheap. Conservative:
// anything not clearly call-free counts as a call.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace RedLeaf.Os.Compiler;

internal static class LeafMethods
{
    public static bool IsLeaf(SemanticModel model, SyntaxNode body)
    {
        var root = model.GetOperation(body);
        if (root is null) return false;
        foreach (var op in root.DescendantsAndSelf())
        {
            switch (op)
            {
                case IInvocationOperation:
                case IObjectCreationOperation:
                case ITypeParameterObjectCreationOperation:
                case IDynamicInvocationOperation or IDynamicObjectCreationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation:
                case IAwaitOperation:
                case IForEachLoopOperation:
                case IUsingOperation or IUsingDeclarationOperation:
                case ILockOperation:
                case IInterpolatedStringOperation:
                case IObjectOrCollectionInitializerOperation:
                case IEventAssignmentOperation or IRaiseEventOperation:
                case IFunctionPointerInvocationOperation:
                case IRecursivePatternOperation:
                case IAnonymousFunctionOperation or IDelegateCreationOperation:
                case ICollectionExpressionOperation:
                case IWithOperation:
                    return false;
                case IPropertyReferenceOperation p when !(p.Property.ContainingType?.SpecialType is SpecialType.System_Array or SpecialType.System_String && !p.Property.IsIndexer):
                    return false;
                case IBinaryOperation b when b.OperatorMethod is not null || b.Type?.SpecialType == SpecialType.System_String:
                    return false;
                case IUnaryOperation u when u.OperatorMethod is not null:
                    return false;
                case IIncrementOrDecrementOperation i when i.OperatorMethod is not null:
                    return false;
                case ICompoundAssignmentOperation c when c.OperatorMethod is not null || c.Type?.SpecialType == SpecialType.System_String:
                    return false;
                case IConversionOperation c when c.OperatorMethod is not null:
                    return false;
            }
        }
        return true;
    }
}
