"""Schema post-processing: the error responses every operation can give, in the one error shape."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        },
    },
}
ERRORS = {
    "400": "The request is not valid: `fields` names each wrong field with its message.",
    "401": "No valid token or session.",
    "403": "Your role may not do this.",
    "404": "Not found, not in your scope, or a page past the last.",
    "409": "The change conflicts with existing data and was not saved.",
    "429": "Too many requests (logins, reveals): try again later.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the documented error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "429"]
            query = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "{" in path or "id" in query or "page" in query:  # an unknown object, or a page past the last
                codes.append("404")
            if method in ("post", "put", "patch", "delete"):
                codes.append("409")
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERRORS[code], "content": reference})
            for code, response in operation["responses"].items():  # errors a view names itself: the same shape
                if code.startswith("4") and "content" not in response:
                    response["content"] = reference
    return result


# Components whose operations answer some callers with fewer fields: a resident reads their own request without
# the staff's fields (api.requests.MyRequestSerializer). Only the fields every caller gets are required.
NARROWER_SHAPES = {"Request": "api.requests.MyRequestSerializer"}


def relax_caller_shaped_components(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: see NARROWER_SHAPES."""
    from django.utils.module_loading import import_string

    schemas = result.get("components", {}).get("schemas", {})
    for name, narrower in NARROWER_SHAPES.items():
        if name in schemas:
            fields = set(import_string(narrower).Meta.fields)
            schemas[name]["required"] = [f for f in schemas[name].get("required", []) if f in fields]
    return result
