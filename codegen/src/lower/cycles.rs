//! Recursive types: a field whose type contains, by value, the struct it belongs to would
//! make the struct infinitely large, so such fields (and `oneOf` variants) are boxed. The
//! edges that matter are by-value ones: through `Option` yes, through `Vec` or maps no.

use crate::model::{Ty, TypeDef, TypeId, TypeKind};

/// Types named by value in `ty`.
fn by_value(ty: &Ty, into: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => into.push(*id),
        Ty::Option(inner) => by_value(inner, into),
        _ => {}
    }
}

/// Types named anywhere in `ty`, by value or inside a list or map.
fn named_in(ty: &Ty, into: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => into.push(*id),
        Ty::Option(inner) | Ty::List(inner) | Ty::Map(inner) => named_in(inner, into),
        _ => {}
    }
}

fn edges(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::OneOf(o) => o.variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => by_value(ty, &mut out),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
    out
}

/// Strongly connected components (Tarjan), iteratively so deep graphs cannot overflow
/// the stack; returns the component number of every type.
fn components(graph: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = graph.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&TypeId(next)) = graph[node].get(*edge) {
                *edge += 1;
                if index[next] == UNSEEN {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Boxes every by-value edge that stays inside a cycle. Fails with the pointer of a type
/// that is only an alias of itself, which no boxing can fix.
pub fn box_recursive(types: &mut [TypeDef]) -> Result<(), String> {
    let graph: Vec<Vec<TypeId>> = types.iter().map(edges).collect();
    let component = components(&graph);
    let is_alias: Vec<bool> = types
        .iter()
        .map(|def| matches!(def.kind, TypeKind::Alias(_)))
        .collect();
    let cyclic = |from: usize, ty: &Ty| {
        let mut targets = Vec::new();
        by_value(ty, &mut targets);
        targets.iter().any(|t| component[t.0] == component[from])
    };
    for (id, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = cyclic(id, &field.ty);
                }
            }
            TypeKind::OneOf(o) => {
                for variant in &mut o.variants {
                    variant.boxed = cyclic(id, &variant.ty);
                }
            }
            TypeKind::Alias(ty) if cyclic(id, ty) => {
                // A cycle is fine when a struct or enum in it boxes the edge; a cycle of
                // aliases alone is an infinite type.
                let only_aliases = (0..graph.len())
                    .filter(|&other| component[other] == component[id])
                    .all(|other| is_alias[other]);
                if only_aliases {
                    return Err(def.pointer.clone());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Rust expands type aliases eagerly, so an alias may not reach itself through other
/// aliases, not even inside a `Vec` or a map (`List = Vec<List>`). Each alias on such a
/// cycle becomes a newtype, which serde reads and writes exactly as the alias.
///
/// Runs after [`box_recursive`], which refuses the cycles of aliases by value that no
/// struct can hold either.
pub fn break_alias_cycles(types: &mut [TypeDef]) {
    let graph: Vec<Vec<TypeId>> = types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty) = &def.kind {
                named_in(ty, &mut out);
                out.retain(|t| matches!(types[t.0].kind, TypeKind::Alias(_)));
            }
            out
        })
        .collect();
    let component = components(&graph);
    let mut size = vec![0usize; graph.len()];
    for &c in &component {
        size[c] += 1;
    }
    for (id, def) in types.iter_mut().enumerate() {
        let on_cycle = size[component[id]] > 1 || graph[id].contains(&TypeId(id));
        if let (true, TypeKind::Alias(ty)) = (on_cycle, &def.kind) {
            def.kind = TypeKind::Newtype(ty.clone());
        }
    }
}
