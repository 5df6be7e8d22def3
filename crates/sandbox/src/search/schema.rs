//! The GraphQL schema of `POST /search`, built with async-graphql's dynamic schema from the field
//! tables in `fields.rs`: for each query its answer type, record types (nested objects and lists
//! as the dotted paths give them), filter and `extFilter` inputs with the documented operators, and
//! the aggregation input. The GraphQL engine refuses unknown fields, operators and mistyped values
//! before any resolver runs; resolvers then read one answer tree that `query.rs` computed.

use std::collections::BTreeMap;

use async_graphql::Value as GqlValue;
use async_graphql::dynamic::{
    Enum, Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext, Scalar,
    Schema, SchemaError, TypeRef,
};

use super::fields::{Kind, Ty};
use super::interval::INTERVAL_NAMES;

/// Channel types as the samples write them unquoted in CSR filters.
const CHANNEL_TYPES: &[&str] = &["telephony", "email", "chat", "social", "video"];
/// Channel states as the samples write them unquoted in ASR filters.
const CHANNEL_STATES: &[&str] = &[
    "available",
    "idle",
    "ringing",
    "connected",
    "hold",
    "wrapup",
    "consulting",
];

/// A node of the tree the dotted paths make.
enum Node {
    Leaf(Ty),
    Object(BTreeMap<&'static str, Node>),
}

fn tree(paths: impl Iterator<Item = (&'static str, Ty)>) -> BTreeMap<&'static str, Node> {
    let mut root: BTreeMap<&'static str, Node> = BTreeMap::new();
    for (path, ty) in paths {
        let mut level = &mut root;
        let mut segments = path.split('.').peekable();
        while let Some(segment) = segments.next() {
            if segments.peek().is_none() {
                level.insert(segment, Node::Leaf(ty));
            } else {
                let next = level
                    .entry(segment)
                    .or_insert_with(|| Node::Object(BTreeMap::new()));
                let Node::Object(children) = next else {
                    unreachable!("{path}: a leaf and an object at once")
                };
                level = children;
            }
        }
    }
    root
}

fn capitalized(segment: &str) -> String {
    let mut chars = segment.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Resolves a field by reading it from the parent's answer object.
fn read(
    name: &str,
) -> impl for<'a> Fn(ResolverContext<'a>) -> FieldFuture<'a> + Send + Sync + 'static {
    let name = name.to_string();
    move |ctx| {
        let name = name.clone();
        FieldFuture::new(async move {
            let parent = ctx.parent_value.try_downcast_ref::<GqlValue>()?;
            Ok(match parent {
                GqlValue::Object(map) => map.get(name.as_str()).and_then(field_value),
                _ => None,
            })
        })
    }
}

fn field_value(value: &GqlValue) -> Option<FieldValue<'_>> {
    match value {
        GqlValue::Null => None,
        GqlValue::Object(_) => Some(FieldValue::borrowed_any(value)),
        GqlValue::List(items) => Some(FieldValue::list(
            items
                .iter()
                .map(|v| field_value(v).unwrap_or(FieldValue::NULL)),
        )),
        other => Some(FieldValue::value(other.clone())),
    }
}

fn output_type(ty: Ty) -> TypeRef {
    TypeRef::named(match ty {
        Ty::Str | Ty::ChannelEnum | Ty::StateEnum => TypeRef::STRING,
        Ty::Long => "Long",
        Ty::Int => TypeRef::INT,
        Ty::Bool => TypeRef::BOOLEAN,
    })
}

fn filter_type(ty: Ty) -> &'static str {
    match ty {
        Ty::Str => "StringFilter",
        Ty::Long => "LongFilter",
        Ty::Int => "IntFilter",
        Ty::Bool => "BooleanFilter",
        Ty::ChannelEnum => "ChannelTypeFilter",
        Ty::StateEnum => "ChannelStateFilter",
    }
}

/// The types every query shares: `Long`, paging, aggregation results, enums, operator inputs.
fn shared_types(
    mut schema: async_graphql::dynamic::SchemaBuilder,
) -> async_graphql::dynamic::SchemaBuilder {
    schema = schema
        .register(Scalar::new("Long").validator(|v| matches!(v, GqlValue::Number(n) if n.is_i64())))
        .register(
            Object::new("PageInfo")
                .field(Field::new(
                    "hasNextPage",
                    TypeRef::named(TypeRef::BOOLEAN),
                    read("hasNextPage"),
                ))
                .field(Field::new(
                    "endCursor",
                    TypeRef::named(TypeRef::STRING),
                    read("endCursor"),
                )),
        )
        .register(
            Object::new("AggregationResult")
                .field(Field::new(
                    "name",
                    TypeRef::named(TypeRef::STRING),
                    read("name"),
                ))
                .field(Field::new(
                    "value",
                    TypeRef::named(TypeRef::FLOAT),
                    read("value"),
                )),
        )
        .register(Enum::new("QueryTimeType").items(["createdTime", "endedTime"]))
        .register(Enum::new("AggregationType").items([
            "count",
            "sum",
            "average",
            "min",
            "max",
            "cardinality",
        ]))
        .register(Enum::new("IntervalType").items(INTERVAL_NAMES.iter().copied()))
        .register(Enum::new("SortOrder").items(["asc", "desc"]))
        .register(Enum::new("ChannelType").items(CHANNEL_TYPES.iter().copied()))
        .register(Enum::new("AgentChannelState").items(CHANNEL_STATES.iter().copied()))
        .register(
            InputObject::new("IntervalData")
                .field(InputValue::new(
                    "interval",
                    TypeRef::named_nn("IntervalType"),
                ))
                .field(InputValue::new("timezone", TypeRef::named(TypeRef::STRING))),
        )
        .register(
            InputObject::new("Pagination")
                .field(InputValue::new("cursor", TypeRef::named(TypeRef::STRING))),
        );
    let operators = |name: &str, value: &str, ops: &[&str]| {
        ops.iter().fold(InputObject::new(name), |input, op| {
            input.field(InputValue::new(*op, TypeRef::named(value)))
        })
    };
    let equality = ["equals", "notequals"];
    let ranges = ["equals", "notequals", "gt", "gte", "lt", "lte"];
    schema = schema
        .register(operators(
            "StringFilter",
            TypeRef::STRING,
            &["equals", "notequals", "match", "contains"],
        ))
        .register(operators("LongFilter", "Long", &ranges))
        .register(operators("IntFilter", TypeRef::INT, &ranges))
        .register(operators("BooleanFilter", TypeRef::BOOLEAN, &equality))
        .register(operators("ChannelTypeFilter", "ChannelType", &equality))
        .register(operators(
            "ChannelStateFilter",
            "AgentChannelState",
            &equality,
        ))
        .register(
            InputObject::new("GlobalVariableFilter")
                .field(InputValue::new("name", TypeRef::named("StringFilter")))
                .field(InputValue::new("value", TypeRef::named("StringFilter"))),
        );
    let predicate = GLOBAL_VARIABLE_KINDS.iter().fold(
        InputObject::new("GlobalVariablePredicate"),
        |input, (field, _)| {
            input.field(InputValue::new(
                *field,
                TypeRef::named("GlobalVariableFilter"),
            ))
        },
    );
    schema = schema.register(predicate);
    for (field, ty) in GLOBAL_VARIABLE_KINDS {
        schema = schema.register(
            Object::new(global_variable_type(field))
                .field(Field::new(
                    "name",
                    TypeRef::named(TypeRef::STRING),
                    read("name"),
                ))
                .field(Field::new("value", TypeRef::named(*ty), read("value"))),
        );
    }
    schema
}

/// `stringGlobalVariables(name: "X") {name value}` and its kin, with each one's value type.
const GLOBAL_VARIABLE_KINDS: &[(&str, &str)] = &[
    ("stringGlobalVariables", TypeRef::STRING),
    ("integerGlobalVariables", TypeRef::INT),
    ("longGlobalVariables", "Long"),
    ("doubleGlobalVariables", TypeRef::FLOAT),
    ("booleanGlobalVariables", TypeRef::BOOLEAN),
];

fn global_variable_type(field: &str) -> String {
    format!(
        "GlobalVariable{}",
        capitalized(field.trim_end_matches("GlobalVariables"))
    )
}

/// Registers the object types under `children` (named `<type_name><Segment>`), returning the
/// object for `type_name` itself.
fn objects(
    kind: &Kind,
    schema: &mut Vec<Object>,
    type_name: &str,
    path: &str,
    children: &BTreeMap<&'static str, Node>,
) -> Object {
    let mut object = Object::new(type_name);
    for (segment, node) in children {
        let child_path = if path.is_empty() {
            segment.to_string()
        } else {
            format!("{path}.{segment}")
        };
        let field = match node {
            Node::Leaf(ty) => {
                let mut field = Field::new(*segment, output_type(*ty), read(segment));
                if path.is_empty()
                    && kind.has_time_comparator
                    && matches!(*segment, "createdTime" | "endedTime")
                {
                    field = field.argument(InputValue::new("sort", TypeRef::named("SortOrder")));
                }
                field
            }
            Node::Object(grand) => {
                let child_type = format!("{type_name}{}", capitalized(segment));
                let child = objects(kind, schema, &child_type, &child_path, grand);
                let child = if kind.paged_lists.contains(&child_path.as_str()) {
                    child.field(Field::new(
                        "pageInfo",
                        TypeRef::named("PageInfo"),
                        read("pageInfo"),
                    ))
                } else {
                    child
                };
                schema.push(child);
                let ty = if kind.lists.contains(&child_path.as_str()) {
                    TypeRef::named_list(child_type)
                } else {
                    TypeRef::named(child_type)
                };
                let mut field = Field::new(*segment, ty, read(segment));
                if kind.paged_lists.contains(&child_path.as_str()) {
                    field = field
                        .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)))
                        .argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)));
                }
                field
            }
        };
        object = object.field(field);
    }
    object
}

/// Registers the input types under `children`, returning the input for `type_name` itself.
fn inputs(
    schema: &mut Vec<InputObject>,
    type_name: &str,
    children: &BTreeMap<&'static str, Node>,
) -> InputObject {
    let mut input = InputObject::new(type_name);
    for (segment, node) in children {
        let ty = match node {
            Node::Leaf(ty) => filter_type(*ty).to_string(),
            Node::Object(grand) => {
                let child_type = format!("{type_name}{}", capitalized(segment));
                let child = inputs(schema, &child_type, grand);
                schema.push(child);
                child_type
            }
        };
        input = input.field(InputValue::new(*segment, TypeRef::named(ty)));
    }
    input
}

/// A top-level filter input: its fields plus `and`/`or` lists and `not`.
fn filter_input(
    schema: &mut Vec<InputObject>,
    type_name: &str,
    children: &BTreeMap<&'static str, Node>,
) {
    let input = inputs(schema, type_name, children)
        .field(InputValue::new("and", TypeRef::named_nn_list(type_name)))
        .field(InputValue::new("or", TypeRef::named_nn_list(type_name)))
        .field(InputValue::new("not", TypeRef::named(type_name)));
    schema.push(input);
}

/// Every type of one query, and its field on the query root.
fn query_types(
    kind: &'static Kind,
    mut schema: async_graphql::dynamic::SchemaBuilder,
) -> (async_graphql::dynamic::SchemaBuilder, Field) {
    let mut types = Vec::new();
    let fields = tree(kind.fields.iter().map(|f| (f.path, f.ty)));
    let mut record = objects(kind, &mut types, kind.record_type, "", &fields)
        .field(Field::new(
            "aggregation",
            TypeRef::named_list("AggregationResult"),
            read("aggregation"),
        ))
        .field(Field::new(
            "intervalStartTime",
            TypeRef::named("Long"),
            read("intervalStartTime"),
        ));
    if kind.has_global_variables {
        for (field, _) in GLOBAL_VARIABLE_KINDS {
            record = record.field(
                Field::new(
                    *field,
                    TypeRef::named(global_variable_type(field)),
                    read(field),
                )
                .argument(InputValue::new("name", TypeRef::named_nn(TypeRef::STRING))),
            );
        }
    }
    types.push(record);
    types.push(
        Object::new(kind.container_type)
            .field(Field::new(
                kind.list,
                TypeRef::named_list(kind.record_type),
                read(kind.list),
            ))
            .field(Field::new(
                "pageInfo",
                TypeRef::named("PageInfo"),
                read("pageInfo"),
            )),
    );
    for object in types {
        schema = schema.register(object);
    }

    let activity_list = kind.activity_list();
    let under =
        |path: &str, list: &str| path.strip_prefix(list).is_some_and(|r| r.starts_with('.'));
    let filterable = kind.fields.iter().filter(|f| f.filterable);
    let session_fields = tree(
        filterable
            .clone()
            .filter(|f| activity_list.is_none_or(|l| !under(f.path, l)))
            .map(|f| (f.path, f.ty)),
    );
    let mut input_types = Vec::new();
    filter_input(&mut input_types, kind.filter_type, &session_fields);
    if let (Some(ext_type), Some(list)) = (kind.ext_filter_type, activity_list) {
        let activity_fields = tree(
            filterable
                .filter(|f| under(f.path, list))
                .map(|f| (f.path, f.ty)),
        );
        filter_input(&mut input_types, ext_type, &activity_fields);
    }
    let mut aggregation = InputObject::new(kind.aggregation_type)
        .field(InputValue::new("field", TypeRef::named_nn(TypeRef::STRING)))
        .field(InputValue::new(
            "type",
            TypeRef::named_nn("AggregationType"),
        ))
        .field(InputValue::new("name", TypeRef::named_nn(TypeRef::STRING)))
        .field(InputValue::new("filter", TypeRef::named(kind.filter_type)));
    if let Some(ext_type) = kind.ext_filter_type {
        aggregation = aggregation.field(InputValue::new("extFilter", TypeRef::named(ext_type)));
    }
    if kind.has_global_variables {
        aggregation = aggregation.field(InputValue::new(
            "predicate",
            TypeRef::named("GlobalVariablePredicate"),
        ));
    }
    input_types.push(aggregation);
    for input in input_types {
        schema = schema.register(input);
    }

    let mut field = Field::new(kind.name, TypeRef::named(kind.container_type), move |ctx| {
        FieldFuture::new(async move {
            let answer = super::query::run(kind, &ctx)?;
            Ok(Some(FieldValue::owned_any(answer)))
        })
    })
    .argument(InputValue::new("from", TypeRef::named_nn("Long")))
    .argument(InputValue::new("to", TypeRef::named_nn("Long")))
    .argument(InputValue::new("filter", TypeRef::named(kind.filter_type)))
    .argument(InputValue::new(
        "aggregations",
        TypeRef::named_list(kind.aggregation_type),
    ))
    .argument(InputValue::new(
        "aggregationInterval",
        TypeRef::named("IntervalData"),
    ))
    .argument(InputValue::new("pagination", TypeRef::named("Pagination")));
    if kind.has_time_comparator {
        field = field.argument(InputValue::new(
            "timeComparator",
            TypeRef::named("QueryTimeType"),
        ));
    }
    if let Some(ext_type) = kind.ext_filter_type {
        field = field.argument(InputValue::new("extFilter", TypeRef::named(ext_type)));
    }
    (schema, field)
}

/// The whole schema.
pub fn build(kinds: &'static [Kind]) -> Result<Schema, SchemaError> {
    let mut schema = shared_types(Schema::build("Query", None, None));
    let mut query = Object::new("Query");
    for kind in kinds {
        let (next, field) = query_types(kind, schema);
        schema = next;
        query = query.field(field);
    }
    schema.register(query).finish()
}
