// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// One compiled node of an OCPP message schema: the subset of JSON Schema (draft-04/-06) that the
/// official OCA schemas for OCPP 1.6J and 2.0.1 use, with every `$ref` already resolved.
///
/// Instances are built once by the generated `OCPP16Schemas` / `OCPP201Schemas` tables
/// (scripts/generate-ocpp-schemas.sh) and shared read-only between connections; ``validate(_:)``
/// walks a payload against them without building strings unless it finds a violation.
///
/// Keywords the schemas carry but that do not constrain a payload are not represented:
/// `$schema`, `$id`, `title`, `description`, `comment`, `javaType`, `default`, `additionalItems`
/// (every `items` is a single schema, so it has no effect), `additionalProperties` on a
/// non-object node (the 1.6 schemas put it on enumerations), and `format: uri` (accepted as any
/// string, as JSON Schema allows).
public final class PayloadSchema: Sendable {
    /// The JSON type a node requires (JSON Schema `type`); `any` is a node without `type`
    /// (2.0.1 `DataTransferRequest.data`).
    public enum Kind: Sendable, Hashable {
        case object, array, string, integer, number, boolean, any
    }

    /// The `format` values the schemas use.
    public enum StringFormat: Sendable, Hashable {
        /// RFC 3339 `date-time`, checked with ``OCPPDateTime/parse(_:)``.
        case dateTime
        /// `uri`: not checked (JSON Schema makes format assertions optional; OCPP 1.6 uses it
        /// for firmware and diagnostics locations that stations compare verbatim).
        case uri
    }

    /// A named member of an object schema.
    public struct Property: Sendable {
        public let name: String
        public let schema: PayloadSchema

        public init(_ name: String, _ schema: PayloadSchema) {
            self.name = name
            self.schema = schema
        }
    }

    public let kind: Kind

    // object
    /// The declared properties, in schema order.
    public let properties: [Property]
    /// Names listed in `required`, in schema order.
    public let required: [String]
    /// False when the schema says `additionalProperties: false`.
    public let additionalPropertiesAllowed: Bool
    /// `isRequired[i]` tells whether `properties[i]` is required.
    let isRequired: [Bool]
    /// How many of `properties` are required, so a valid payload needs no second pass.
    let requiredCount: Int

    // array
    public let items: PayloadSchema?
    public let minItems: Int?
    public let maxItems: Int?

    // string
    /// Allowed values (JSON Schema `enum`); every OCPP enumeration is a list of strings.
    public let allowedValues: [String]?
    /// Limits in Unicode scalars, as JSON Schema counts string length.
    public let minLength: Int?
    public let maxLength: Int?
    public let format: StringFormat?

    // integer, number
    public let minimum: Double?
    public let maximum: Double?
    public let multipleOf: Double?

    private init(
        kind: Kind, properties: [Property] = [], required: [String] = [], additionalPropertiesAllowed: Bool = true,
        items: PayloadSchema? = nil, minItems: Int? = nil, maxItems: Int? = nil, allowedValues: [String]? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, format: StringFormat? = nil, minimum: Double? = nil,
        maximum: Double? = nil, multipleOf: Double? = nil
    ) {
        // A required name the schema does not describe still has to be present; it is kept as
        // a property of any type so that validation needs only one list.
        var allProperties = properties
        for name in required where !allProperties.contains(where: { $0.name == name }) {
            allProperties.append(Property(name, PayloadSchema(kind: .any)))
        }
        self.kind = kind
        self.properties = allProperties
        self.required = required
        self.additionalPropertiesAllowed = additionalPropertiesAllowed
        self.isRequired = allProperties.map { required.contains($0.name) }
        self.requiredCount = isRequired.filter { $0 }.count
        self.items = items
        self.minItems = minItems
        self.maxItems = maxItems
        self.allowedValues = allowedValues
        self.minLength = minLength
        self.maxLength = maxLength
        self.format = format
        self.minimum = minimum
        self.maximum = maximum
        self.multipleOf = multipleOf
    }

    /// The schema of property `name`, if the object schema declares it.
    public func property(_ name: String) -> PayloadSchema? {
        properties.first { $0.name == name }?.schema
    }
}

// MARK: - Builders used by the generated schema tables

extension PayloadSchema {
    public static func object(
        _ properties: [Property], required: [String], additionalProperties: Bool
    ) -> PayloadSchema {
        PayloadSchema(
            kind: .object, properties: properties, required: required, additionalPropertiesAllowed: additionalProperties
        )
    }

    public static func array(of items: PayloadSchema, minItems: Int? = nil, maxItems: Int? = nil) -> PayloadSchema {
        PayloadSchema(kind: .array, items: items, minItems: minItems, maxItems: maxItems)
    }

    public static func string(
        minLength: Int? = nil, maxLength: Int? = nil, format: StringFormat? = nil
    ) -> PayloadSchema {
        PayloadSchema(kind: .string, minLength: minLength, maxLength: maxLength, format: format)
    }

    /// A string that must be one of `values`.
    public static func enumeration(_ values: [String]) -> PayloadSchema {
        PayloadSchema(kind: .string, allowedValues: values)
    }

    public static func integer(minimum: Double? = nil, maximum: Double? = nil) -> PayloadSchema {
        PayloadSchema(kind: .integer, minimum: minimum, maximum: maximum)
    }

    public static func number(
        minimum: Double? = nil, maximum: Double? = nil, multipleOf: Double? = nil
    ) -> PayloadSchema {
        PayloadSchema(kind: .number, minimum: minimum, maximum: maximum, multipleOf: multipleOf)
    }

    public static func boolean() -> PayloadSchema {
        PayloadSchema(kind: .boolean)
    }

    /// A node without `type`: any JSON value.
    public static func anyValue() -> PayloadSchema {
        PayloadSchema(kind: .any)
    }
}
