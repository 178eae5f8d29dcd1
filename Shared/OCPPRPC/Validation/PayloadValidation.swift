// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The first way in which a payload breaks its message schema, as the CALLERROR to answer with.
public struct SchemaViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The CALLERROR code; spell it with ``RPCErrorCode/wireName(for:)``.
    public let code: RPCErrorCode
    /// RFC 6901 JSON pointer to the offending member (`/idTagInfo/status`, `/meterValue/0/timestamp`);
    /// for a missing field, the pointer the field would have.
    public let path: String
    /// One line for a person, at most ``maxMessageLength`` characters, naming the field and the
    /// rule (`idTag: longer than 20 characters`); fit for a CALLERROR ErrorDescription.
    public let message: String

    public static let maxMessageLength = 200

    public init(code: RPCErrorCode, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(code) at \(path.isEmpty ? "/" : path): \(message)" }
}

extension PayloadSchema {
    /// Checks `payload` against this schema and returns the first violation, or nil.
    ///
    /// Order, so that the same payload always gives the same answer: the payload's members in
    /// their order (an undeclared one first, then that member's own value, depth-first), and after
    /// all members of an object the first missing required property in schema order. Arrays check
    /// their item count before their items.
    ///
    /// Error codes follow the definitions of OCPP-J 1.6 §4.2.3 Table 7 and OCPP-J 2.0.1 §4.3 Table 8:
    /// - a required field missing, or too few / too many array items (`minItems`/`maxItems`): a
    ///   cardinality defect, ``RPCErrorCode/occurrenceConstraintViolation``;
    /// - a value of the wrong JSON type, including a fraction in an integer field and a `date-time`
    ///   string that is not RFC 3339: a data type defect, ``RPCErrorCode/typeConstraintViolation``;
    /// - an enumeration value not listed, a string too long or too short, a number outside its
    ///   bounds or not a multiple of `multipleOf`: a right type with an invalid value,
    ///   ``RPCErrorCode/propertyConstraintViolation``;
    /// - a member the schema does not declare where `additionalProperties` is false: a payload that
    ///   does not have the message's structure, ``RPCErrorCode/formatViolation`` (1.6 spells it
    ///   `FormationViolation`).
    ///
    /// A valid payload allocates nothing here (``OCPPDateTime/parse(_:)`` copies the bytes of each
    /// date-time it reads); strings are built only for the violation returned.
    public func validate(_ payload: JSONObject) -> SchemaViolation? {
        let failure: SchemaFailure?
        if kind == .object {
            failure = checkObject(payload)
        } else {
            failure = check(.object(payload))
        }
        return failure.map { $0.violation() }
    }
}

// MARK: - The walk

/// A violation found deep in a payload; the path is collected while the recursion unwinds.
struct SchemaFailure {
    enum Step {
        case key(String)
        case index(Int)
    }

    let code: RPCErrorCode
    let rule: String
    /// Innermost step first.
    var steps: [Step] = []

    init(_ code: RPCErrorCode, _ rule: String) {
        self.code = code
        self.rule = rule
    }

    func adding(_ step: Step) -> SchemaFailure {
        var copy = self
        copy.steps.append(step)
        return copy
    }

    func violation() -> SchemaViolation {
        var pointer = ""
        var name = ""
        for step in steps.reversed() {
            switch step {
            case .key(let key):
                pointer += "/" + SchemaFailure.escapePointerToken(key)
                name += name.isEmpty ? key : "." + key
            case .index(let index):
                pointer += "/\(index)"
                name += "[\(index)]"
            }
        }
        let subject = name.isEmpty ? "payload" : name
        return SchemaViolation(code: code, path: pointer, message: SchemaFailure.clip("\(subject): \(rule)"))
    }

    /// RFC 6901 §3: `~` is written `~0` and `/` is written `~1` inside a reference token.
    static func escapePointerToken(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return token
        }
        return token.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    static func clip(_ text: String, to limit: Int = SchemaViolation.maxMessageLength) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// A payload value as it may appear in a message: quoted, shortened, never a whole document.
    static func quote(_ text: String) -> String {
        "\"\(clip(text, to: 40))\""
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func formatNumber(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension PayloadSchema {
    func check(_ value: JSONValue) -> SchemaFailure? {
        switch kind {
        case .object:
            guard case .object(let object) = value else { return typeFailure("object", value) }
            return checkObject(object)
        case .array:
            guard case .array(let elements) = value else { return typeFailure("array", value) }
            return checkArray(elements)
        case .string:
            guard case .string(let text) = value else { return typeFailure("string", value) }
            return checkString(text)
        case .integer:
            let number: Double
            switch value {
            case .integer(let integer):
                number = Double(integer)
            // A JSON number with a zero fraction (`3.0`) is an integer to JSON Schema (draft-06 §4.2).
            case .number(let double) where double.rounded(.towardZero) == double && abs(double) < 0x1p63:
                number = double
            case .number:
                return SchemaFailure(.typeConstraintViolation, "expected integer, got a number with a fraction")
            default:
                return typeFailure("integer", value)
            }
            return checkBounds(number)
        case .number:
            switch value {
            case .integer(let integer): return checkBounds(Double(integer))
            case .number(let double): return checkBounds(double)
            default: return typeFailure("number", value)
            }
        case .boolean:
            guard case .bool = value else { return typeFailure("boolean", value) }
            return nil
        case .any:
            return nil
        }
    }

    func checkObject(_ object: JSONObject) -> SchemaFailure? {
        var requiredSeen = 0
        for member in object.members {
            guard let index = propertyIndex(member.key) else {
                if additionalPropertiesAllowed { continue }
                return SchemaFailure(.formatViolation, "property not defined by the schema").adding(.key(member.key))
            }
            if isRequired[index] { requiredSeen += 1 }
            if let failure = properties[index].schema.check(member.value) {
                return failure.adding(.key(member.key))
            }
        }
        // Keys are unique in a JSONObject, so the count proves every required property was seen.
        guard requiredSeen < requiredCount else { return nil }
        for name in required where !object.members.contains(where: { $0.key == name }) {
            return SchemaFailure(.occurrenceConstraintViolation, "required field missing").adding(.key(name))
        }
        return nil
    }

    private func propertyIndex(_ key: String) -> Int? {
        // A linear scan beats hashing for the at most a few dozen properties an OCPP type has.
        var index = 0
        for property in properties {
            if property.name == key { return index }
            index += 1
        }
        return nil
    }

    private func checkArray(_ elements: [JSONValue]) -> SchemaFailure? {
        if let minItems, elements.count < minItems {
            return SchemaFailure(
                .occurrenceConstraintViolation, "\(elements.count) items, at least \(minItems) required")
        }
        if let maxItems, elements.count > maxItems {
            return SchemaFailure(.occurrenceConstraintViolation, "\(elements.count) items, at most \(maxItems) allowed")
        }
        guard let items else { return nil }
        var index = 0
        for element in elements {
            if let failure = items.check(element) { return failure.adding(.index(index)) }
            index += 1
        }
        return nil
    }

    private func checkString(_ text: String) -> SchemaFailure? {
        if let allowedValues {
            guard allowedValues.contains(text) else {
                let list = allowedValues.joined(separator: ", ")
                return SchemaFailure(.propertyConstraintViolation, "\(SchemaFailure.quote(text)) is not one of \(list)")
            }
            return nil
        }
        // JSON Schema counts length in Unicode scalars; the UTF-8 count (O(1) for native strings)
        // is an upper bound, so the scalars are only counted when it exceeds the limit.
        if let maxLength, text.utf8.count > maxLength, text.unicodeScalars.count > maxLength {
            return SchemaFailure(.propertyConstraintViolation, "longer than \(maxLength) characters")
        }
        if let minLength, text.unicodeScalars.count < minLength {
            return SchemaFailure(.propertyConstraintViolation, "shorter than \(minLength) characters")
        }
        if format == .dateTime, OCPPDateTime.parse(text) == nil {
            return SchemaFailure(.typeConstraintViolation, "\(SchemaFailure.quote(text)) is not an RFC 3339 date-time")
        }
        return nil
    }

    private func checkBounds(_ number: Double) -> SchemaFailure? {
        if let minimum, number < minimum {
            return SchemaFailure(
                .propertyConstraintViolation, "less than the minimum \(SchemaFailure.formatNumber(minimum))")
        }
        if let maximum, number > maximum {
            return SchemaFailure(
                .propertyConstraintViolation, "greater than the maximum \(SchemaFailure.formatNumber(maximum))")
        }
        if let multipleOf, multipleOf > 0 {
            // Binary floating point cannot hold 0.1, so 3.3 / 0.1 is 32.999999999999996: accept a
            // quotient within a relative 1e-9 of a whole number instead of demanding exactness.
            let quotient = number / multipleOf
            if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
                return SchemaFailure(
                    .propertyConstraintViolation, "not a multiple of \(SchemaFailure.formatNumber(multipleOf))")
            }
        }
        return nil
    }

    private func typeFailure(_ expected: String, _ value: JSONValue) -> SchemaFailure {
        SchemaFailure(.typeConstraintViolation, "expected \(expected), got \(SchemaFailure.typeName(value))")
    }
}
