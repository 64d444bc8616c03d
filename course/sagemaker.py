"""SageMaker and Bedrock API requests checked offline, against the service models in botocore.

A request here is exactly what a boto3 client method takes, as a dict: the keyword arguments of
``boto3.client("sagemaker").create_hyper_parameter_tuning_job(**request)``. Nothing is sent
anywhere: botocore ships the same JSON model of every operation that AWS's SDKs are generated
from, and this module walks a request through it.

    >>> from course import sagemaker
    >>> sagemaker.problems("CreateHyperParameterTuningJob", request)   # [] when it is valid
    >>> sagemaker.check("CreateHyperParameterTuningJob", request)      # raises, listing them all
    >>> print(sagemaker.describe("CreateHyperParameterTuningJob", "HyperParameterTuningJobConfig"))

Why not botocore's own ``validate_parameters``: it checks required members, types and minimums
but skips enums, maximums, string lengths above the minimum and patterns (a ``Strategy`` of
"Genetic" or a 40-character job name passes it), and its messages do not suggest the member a
typo meant. This checker covers all of that, names the exact path of every problem
(``TrainingJobDefinition.InputDataConfig[0].ChannelName``) and adds a few documented rules that
the API model cannot express (``RULES``; each cites its source). The course's tests prove that
every request botocore's validator rejects is rejected here too.

Patterns are applied to the whole value, as the service applies them; the few that use Java-only
classes such as ``\\p{L}`` are skipped (they guard tag keys and free text).
"""
from __future__ import annotations

import datetime
import difflib
import functools
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .checks import CheckFailed

__all__ = ["problems", "check", "describe", "RequestInvalid", "RULES"]


class RequestInvalid(CheckFailed):
    """The request would be rejected: every problem found, one per line."""


# ---------------------------------------------------------------------------------------------
# The service models


@functools.lru_cache(maxsize=None)
def _service(service: str):
    import botocore.session                    # imported on first use: notebooks that never
    return botocore.session.get_session().get_service_model(service)   # check a request skip it


@functools.lru_cache(maxsize=None)
def _operation_names(service: str) -> dict[str, str]:
    """Both spellings of every operation (``CreateModel`` and boto3's ``create_model``) → the
    API's name."""
    from botocore import xform_name
    names = {}
    for name in _service(service).operation_names:
        names[name] = name
        names[xform_name(name)] = name
    return names


def _input_shape(operation: str, service: str):
    names = _operation_names(service)
    if operation not in names:
        close = difflib.get_close_matches(str(operation), list(names), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{service} has no operation {operation!r}{hint}")
    return _service(service).operation_model(names[operation]).input_shape


@functools.lru_cache(maxsize=None)
def _pattern(text: str) -> re.Pattern | None:
    try:
        return re.compile(text)
    except re.error:                            # a Java-only construct such as \p{L}
        return None


# ---------------------------------------------------------------------------------------------
# Walking a request through its shape

_KIND = {"structure": "a dict", "map": "a dict", "list": "a list", "string": "a str",
         "integer": "an int", "long": "an int", "float": "a number", "double": "a number",
         "boolean": "True or False", "timestamp": "a datetime or an ISO 8601 string",
         "blob": "bytes"}


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _got(value: Any) -> str:
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    return f"{name} {_show(value)}"


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _fold(text: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def _near(name: str, allowed: list[str]) -> str | None:
    """The allowed name a typo most likely meant: the same letters in another case or spacing
    first (the docs write IDENTICAL_DATA_AND_ALGORITHM; the API wants
    IdenticalDataAndAlgorithm), then the closest spelling."""
    folded = {_fold(a): a for a in allowed}
    if _fold(name) in folded:
        return folded[_fold(name)]
    close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _listing(names, limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    """What botocore sends as a number: int, float (NumPy's float64 is one) or Decimal; not a
    bool, not NumPy's integers (they are not ints, and JSON cannot encode them)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _wrong_type(path: str, shape, value: Any) -> str:
    expected = _KIND.get(shape.type_name, shape.type_name)
    message = f"{path}: expected {expected}, got {_got(value)}"
    module = type(value).__module__
    if module.startswith("numpy") and shape.type_name in ("integer", "long", "float", "double"):
        message += " (boto3 cannot send NumPy numbers: convert it with int(...) or float(...))"
    elif shape.type_name == "string" and _is_number(value):
        message += f" (this member is a string: write {str(value)!r})"
    elif shape.type_name in ("integer", "long") and isinstance(value, float) and value.is_integer():
        message += f" (write {int(value)})"
    elif shape.type_name in ("integer", "long", "float", "double") and isinstance(value, str):
        message += " (this member is a number, not a string)"
    elif shape.type_name == "boolean" and isinstance(value, str):
        message += " (write True or False, without quotes)"
    return message


def _limits(path: str, shape, size: float, noun: str) -> Iterator[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        yield f"{path}: {noun(size)}, at least {low} required"
    if high is not None and size > high:
        yield f"{path}: {noun(size)}, at most {high} allowed"


def _count(singular: str, plural: str) -> Callable[[float], str]:
    return lambda n: f"{n:g} {singular if n == 1 else plural}"


def _walk(value: Any, shape, path: str) -> Iterator[str]:
    kind = shape.type_name
    if kind == "structure":
        if getattr(shape, "is_document_type", False):
            return                                  # any JSON value is allowed
        yield from _walk_structure(value, shape, path)
    elif kind == "list":
        if not isinstance(value, (list, tuple)):
            yield _wrong_type(path, shape, value)
            return
        yield from _limits(path, shape, len(value), _count("item", "items"))
        for index, item in enumerate(value):
            yield from _walk(item, shape.member, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, Mapping):
            yield _wrong_type(path, shape, value)
            return
        yield from _limits(path, shape, len(value), _count("entry", "entries"))
        for key, item in value.items():
            yield from (f"{problem} (a key of {path})" for problem in
                        _walk(key, shape.key, f"{path}[{key!r}]"))
            yield from _walk(item, shape.value, f"{path}[{key!r}]")
    elif kind == "string":
        yield from _walk_string(value, shape, path)
    elif kind in ("integer", "long"):
        if not _is_int(value):
            yield _wrong_type(path, shape, value)
        else:
            yield from _bounds(path, shape, value)
    elif kind in ("float", "double"):
        if not _is_number(value) or not math.isfinite(float(value)):
            yield _wrong_type(path, shape, value)
        else:
            yield from _bounds(path, shape, value)
    elif kind == "boolean":
        if not isinstance(value, bool):
            yield _wrong_type(path, shape, value)
    elif kind == "timestamp":
        if not isinstance(value, (datetime.datetime, datetime.date, str)) and not _is_number(value):
            yield _wrong_type(path, shape, value)
    elif kind == "blob":
        if not isinstance(value, (bytes, bytearray, str)) and not hasattr(value, "read"):
            yield _wrong_type(path, shape, value)


def _bounds(path: str, shape, value: float) -> Iterator[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        yield f"{path}: {value!r} is below the minimum {low}"
    if high is not None and value > high:
        yield f"{path}: {value!r} is above the maximum {high}"


def _walk_structure(value: Any, shape, path: str) -> Iterator[str]:
    where = path or "the request"
    if not isinstance(value, Mapping):
        yield _wrong_type(where, shape, value)
        return
    allowed = list(shape.members)
    for name in value:
        if name not in shape.members:
            guess = _near(name, allowed)
            hint = f"; did you mean {guess!r}?" if guess else f" (allowed: {_listing(allowed)})"
            yield f"{_join(path, str(name))}: unknown member{hint}"
    for name in shape.required_members:
        if name not in value:
            yield f"{_join(path, name)}: required member missing"
    if getattr(shape, "is_tagged_union", False):
        given = [name for name in value if name in shape.members]
        if len(given) != 1:
            yield (f"{where}: set exactly one of {_listing(allowed)}"
                   f" (got {len(given)}{': ' + ', '.join(given) if given else ''})")
    for name, item in value.items():
        if name in shape.members:
            yield from _walk(item, shape.members[name], _join(path, name))


def _walk_string(value: Any, shape, path: str) -> Iterator[str]:
    if not isinstance(value, str):
        yield _wrong_type(path, shape, value)
        return
    enum = shape.enum
    if enum and value not in enum:
        guess = _near(value, list(enum))
        hint = f"; did you mean {guess!r}?" if guess else ""
        yield f"{path}: {value!r} is not one of {', '.join(enum)}{hint}"
        return
    too_long_or_short = list(_limits(path, shape, len(value), _count("character", "characters")))
    if too_long_or_short:              # a pattern often encodes the length too: say it once
        yield from too_long_or_short
        return
    pattern = shape.metadata.get("pattern")
    compiled = _pattern(pattern) if pattern else None
    if compiled is not None and not compiled.fullmatch(value):
        yield f"{path}: {_show(value)} does not match the pattern {pattern}"


# ---------------------------------------------------------------------------------------------
# Documented rules the API model cannot express

Rule = Callable[[Mapping], Iterator[str]]
_REGISTERED: dict[tuple[str, str], list[Rule]] = {}


def _rule(service: str, *operations: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        for operation in operations:
            _REGISTERED.setdefault((service, operation), []).append(rule)
        return rule
    return register


def _dict(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _training_definitions(request: Mapping) -> Iterator[tuple[str, Mapping]]:
    """(path, definition) of every training job a request describes: CreateTrainingJob's own
    request, or a tuning job's TrainingJobDefinition and TrainingJobDefinitions."""
    if "AlgorithmSpecification" in request or "HyperParameterTuningJobConfig" not in request:
        yield "", request
    if isinstance(request.get("TrainingJobDefinition"), Mapping):
        yield "TrainingJobDefinition", request["TrainingJobDefinition"]
    for index, definition in enumerate(_items(request.get("TrainingJobDefinitions"))):
        if isinstance(definition, Mapping):
            yield f"TrainingJobDefinitions[{index}]", definition


DEFAULT_MAX_RUNTIME = 86_400       # StoppingCondition.MaxRuntimeInSeconds when not given (1 day)


@_rule("sagemaker", "CreateTrainingJob", "CreateHyperParameterTuningJob")
def spot_needs_max_wait(request: Mapping) -> Iterator[str]:
    """Managed Spot training needs MaxWaitTimeInSeconds, at least MaxRuntimeInSeconds (the wait
    for capacity plus the run). Source: botocore's StoppingCondition.MaxWaitTimeInSeconds ("must
    be equal to or greater than MaxRuntimeInSeconds"); Developer Guide, managed Spot training."""
    for path, definition in _training_definitions(request):
        if definition.get("EnableManagedSpotTraining") is not True:
            continue
        stopping = _dict(definition.get("StoppingCondition"))
        where = _join(path, "StoppingCondition.MaxWaitTimeInSeconds")
        wait, runtime = stopping.get("MaxWaitTimeInSeconds"), stopping.get(
            "MaxRuntimeInSeconds", DEFAULT_MAX_RUNTIME)
        if wait is None:
            yield f"{where}: required with EnableManagedSpotTraining=True"
        elif _is_int(wait) and _is_int(runtime) and wait < runtime:
            yield (f"{where}: {wait} is less than MaxRuntimeInSeconds ({runtime}); with Spot it "
                   "must be at least the run time, as it includes the wait for capacity")


def _ranges(request: Mapping, kind: str) -> Iterator[tuple[str, Mapping]]:
    """(path, range) of every ``kind`` range (Continuous, Integer, Categorical) in a tuning job."""
    places = [("HyperParameterTuningJobConfig.ParameterRanges",
               _dict(request.get("HyperParameterTuningJobConfig")).get("ParameterRanges"))]
    for path, definition in _training_definitions(request):
        if path:
            places.append((f"{path}.HyperParameterRanges", definition.get("HyperParameterRanges")))
    for path, ranges in places:
        for index, item in enumerate(_items(_dict(ranges).get(f"{kind}ParameterRanges"))):
            if isinstance(item, Mapping):
                yield f"{path}.{kind}ParameterRanges[{index}]", item


def _number(text: Any, integer: bool) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return float(int(text)) if integer else float(text)
    except ValueError:
        return None


@_rule("sagemaker", "CreateHyperParameterTuningJob")
def range_bounds(request: Mapping) -> Iterator[str]:
    """A continuous range's bounds are numbers and an integer range's whole numbers, written as
    strings (botocore's ParameterValue), and MinValue is not above MaxValue (a range runs from
    MinValue to MaxValue: ContinuousParameterRange / IntegerParameterRange)."""
    for kind in ("Continuous", "Integer"):
        noun = "a whole number" if kind == "Integer" else "a number"
        for path, item in _ranges(request, kind):
            low = _number(item.get("MinValue"), kind == "Integer")
            high = _number(item.get("MaxValue"), kind == "Integer")
            for name, parsed in (("MinValue", low), ("MaxValue", high)):
                if isinstance(item.get(name), str) and parsed is None:
                    yield f"{path}.{name}: {item[name]!r} is not {noun}"
            if low is not None and high is not None and low > high:
                yield f"{path}: MinValue {item['MinValue']} is above MaxValue {item['MaxValue']}"


@_rule("sagemaker", "CreateHyperParameterTuningJob")
def scaling_fits_range(request: Mapping) -> Iterator[str]:
    """Logarithmic scaling works only for ranges of values above 0; ReverseLogarithmic only for
    continuous ranges inside 0 <= x < 1. Source: botocore's ContinuousParameterRange.ScalingType;
    Developer Guide, automatic-model-tuning-define-ranges (integer ranges: Auto, Linear,
    Logarithmic)."""
    for kind in ("Continuous", "Integer"):
        for path, item in _ranges(request, kind):
            scaling = item.get("ScalingType")
            low = _number(item.get("MinValue"), kind == "Integer")
            high = _number(item.get("MaxValue"), kind == "Integer")
            if scaling == "Logarithmic" and low is not None and low <= 0:
                yield (f"{path}.ScalingType: Logarithmic needs values above 0, and MinValue is "
                       f"{item['MinValue']}")
            if scaling == "ReverseLogarithmic":
                if kind == "Integer":
                    yield f"{path}.ScalingType: ReverseLogarithmic is for continuous ranges only"
                elif (low is not None and low < 0) or (high is not None and high >= 1):
                    yield (f"{path}.ScalingType: ReverseLogarithmic needs 0 <= x < 1, and the "
                           f"range is {item.get('MinValue')} to {item.get('MaxValue')}")


MAX_TUNABLE = 30      # hyperparameters a tuning job searches, over all its range lists


@_rule("sagemaker", "CreateHyperParameterTuningJob")
def tunable_count(request: Mapping) -> Iterator[str]:
    """At most 30 tunable hyperparameters in all: the maximum of each range list is also the
    maximum of their sum (API reference, ParameterRanges)."""
    per_place: dict[str, int] = {}
    for kind in ("Continuous", "Integer", "Categorical"):
        for path, _ in _ranges(request, kind):
            place = path.rsplit(".", 1)[0]           # ...ParameterRanges / ...HyperParameterRanges
            per_place[place] = per_place.get(place, 0) + 1
    for place, count in per_place.items():
        if count > MAX_TUNABLE:
            yield f"{place}: {count} tunable hyperparameters, at most {MAX_TUNABLE} in all"


@_rule("sagemaker", "CreateHyperParameterTuningJob")
def strategy_settings(request: Mapping) -> Iterator[str]:
    """Hyperband has its own early stopping, so TrainingJobEarlyStoppingType must be Off with it,
    and StrategyConfig is for Hyperband only (botocore's HyperParameterTuningJobConfig). Grid
    search takes categorical ranges only, and a MaxNumberOfTrainingJobs, if given, must equal the
    number of combinations (Developer Guide, automatic-model-tuning-how-it-works)."""
    config = _dict(request.get("HyperParameterTuningJobConfig"))
    strategy = config.get("Strategy")
    path = "HyperParameterTuningJobConfig"
    if strategy == "Hyperband" and config.get("TrainingJobEarlyStoppingType", "Off") != "Off":
        yield (f"{path}.TrainingJobEarlyStoppingType: must be Off with the Hyperband strategy, "
               "which stops poor jobs early itself")
    if "StrategyConfig" in config and strategy in ("Bayesian", "Random", "Grid"):
        yield f"{path}.StrategyConfig: only for the Hyperband strategy (Strategy is {strategy})"
    if strategy != "Grid":
        return
    for kind in ("Continuous", "Integer"):
        for where, _ in _ranges(request, kind):
            yield f"{where}: the Grid strategy takes categorical ranges only"
    combinations = 1
    for _, item in _ranges(request, "Categorical"):
        combinations *= len(_items(item.get("Values"))) or 1
    jobs = _dict(config.get("ResourceLimits")).get("MaxNumberOfTrainingJobs")
    if _is_int(jobs) and jobs != combinations:
        yield (f"{path}.ResourceLimits.MaxNumberOfTrainingJobs: {jobs}, but Grid runs every "
               f"combination once ({combinations}); leave it out or make it {combinations}")


@_rule("sagemaker", "CreateModel")
def model_containers(request: Mapping) -> Iterator[str]:
    """A model has a PrimaryContainer or an inference pipeline of Containers, not both; a
    pipeline has more than one container; with direct invocation (InferenceExecutionConfig.Mode
    Direct) every container needs a ContainerHostname, and a hostname on one container of a
    pipeline means one on all. Source: Developer Guide, multi-container-create; botocore's
    ContainerDefinition.ContainerHostname."""
    primary, containers = "PrimaryContainer" in request, request.get("Containers")
    if primary and containers is not None:
        yield "Containers: give either PrimaryContainer or Containers, not both"
    elif not primary and containers is None:
        yield "PrimaryContainer: required (or Containers for an inference pipeline)"
    items = [c for c in _items(containers) if isinstance(c, Mapping)]
    if containers is not None and len(_items(containers)) == 1:
        yield "Containers: a pipeline has more than one container; use PrimaryContainer for one"
    named = [("ContainerHostname" in c) for c in items]
    mode = _dict(request.get("InferenceExecutionConfig")).get("Mode", "Serial")
    for index, has_name in enumerate(named):
        if not has_name and (mode == "Direct" or any(named)):
            why = ("direct invocation (Mode Direct) addresses each container by it" if mode ==
                   "Direct" else "another container of this pipeline has one, so all need one")
            yield f"Containers[{index}].ContainerHostname: required: {why}"


@_rule("sagemaker", "CreateEndpointConfig")
def serverless_variants(request: Mapping) -> Iterator[str]:
    """A serverless variant has memory in 1 GB steps and no instances (ServerlessConfig is
    "instead of an instance-based endpoint configuration"), an instance-based one names its
    instance type, and a serverless endpoint has a single production variant. Sources: botocore's
    ProductionVariantServerlessConfig.MemorySizeInMB and ProductionVariant.ServerlessConfig;
    Developer Guide, serverless-endpoints (features it does not support)."""
    variants = [(i, v) for i, v in enumerate(_items(request.get("ProductionVariants"))) if isinstance(v, Mapping)]
    serverless = [i for i, v in variants if "ServerlessConfig" in v]
    for index, variant in variants:
        where = f"ProductionVariants[{index}]"
        if index in serverless:
            memory = _dict(variant["ServerlessConfig"]).get("MemorySizeInMB")
            if _is_int(memory) and memory % 1024:
                yield (f"{where}.ServerlessConfig.MemorySizeInMB: {memory} is not a whole number of GB; "
                       "use 1024, 2048, 3072, 4096, 5120 or 6144")
            for member in ("InstanceType", "InitialInstanceCount"):
                if member in variant:
                    yield (f"{where}.{member}: a serverless variant has no instances; remove it or "
                           "the ServerlessConfig")
        elif "InstanceType" not in variant:
            yield f"{where}.InstanceType: required for an instance-based variant (or give a ServerlessConfig)"
    if serverless and len(variants) > 1:
        yield (f"ProductionVariants: {len(variants)} variants, but a serverless endpoint has exactly one "
               "production variant")


@_rule("sagemaker", "CreateCompilationJob")
def compilation_target(request: Mapping) -> Iterator[str]:
    """A Neo compilation job targets a device (OutputConfig.TargetDevice) or a platform
    (TargetPlatform: Os, Arch, Accelerator), one or the other ("an alternative of TargetDevice",
    botocore's OutputConfig); the input shapes (InputConfig.DataInputConfig) are a JSON dictionary
    of input names to shapes (botocore's InputConfig.DataInputConfig)."""
    output = _dict(request.get("OutputConfig"))
    if "OutputConfig" in request and ("TargetDevice" in output) == ("TargetPlatform" in output):
        both = "TargetDevice" in output
        yield ("OutputConfig: give TargetDevice or TargetPlatform, "
               + ("not both" if both else "one of them is required"))
    shapes = _dict(request.get("InputConfig")).get("DataInputConfig")
    if isinstance(shapes, str):
        try:
            parsed = json.loads(shapes)
        except ValueError:
            parsed = None
        if not isinstance(parsed, (dict, list)):
            yield (f"InputConfig.DataInputConfig: {_show(shapes)} is not a JSON dictionary of input "
                   """shapes, e.g. '{"input": [1, 3, 224, 224]}'""")
    platform = _dict(output.get("TargetPlatform"))
    if platform.get("Accelerator") == "NVIDIA" and "CompilerOptions" not in output:
        yield ("OutputConfig.CompilerOptions: required for an NVIDIA accelerator: a JSON string with "
               """'gpu-code', 'trt-ver' and 'cuda-ver', e.g. '{"gpu-code": "sm_72", "trt-ver": "8.2.1", "cuda-ver": "10.2"}'""")


@_rule("sagemaker", "CreateEndpointConfig")
def shadow_variants(request: Mapping) -> Iterator[str]:
    """An endpoint that shadows traffic has exactly one production variant and one shadow variant
    ("If you use this field, you can only specify one variant for ProductionVariants and one
    variant for ShadowProductionVariants", botocore's CreateEndpointConfigInput)."""
    if "ShadowProductionVariants" not in request:
        return
    for member in ("ProductionVariants", "ShadowProductionVariants"):
        count = len(_items(request.get(member)))
        if count > 1:
            yield (f"{member}: {count} variants, but an endpoint with a shadow variant has exactly one "
                   "production variant and one shadow variant")


_KNOWLEDGE_BASE_MEMBERS = {"VECTOR": "vectorKnowledgeBaseConfiguration",
                           "KENDRA": "kendraKnowledgeBaseConfiguration",
                           "SQL": "sqlKnowledgeBaseConfiguration",
                           "MANAGED": "managedKnowledgeBaseConfiguration"}
_VECTOR_STORE_MEMBERS = {"OPENSEARCH_SERVERLESS": "opensearchServerlessConfiguration",
                         "OPENSEARCH_MANAGED_CLUSTER": "opensearchManagedClusterConfiguration",
                         "PINECONE": "pineconeConfiguration",
                         "REDIS_ENTERPRISE_CLOUD": "redisEnterpriseCloudConfiguration",
                         "RDS": "rdsConfiguration", "MONGO_DB_ATLAS": "mongoDbAtlasConfiguration",
                         "NEPTUNE_ANALYTICS": "neptuneAnalyticsConfiguration",
                         "S3_VECTORS": "s3VectorsConfiguration"}


def _typed_member(config: Mapping, path: str, members: Mapping[str, str], required: bool,
                  key: str = "type", bare: tuple[str, ...] = ()) -> Iterator[str]:
    """A structure whose ``key`` (its ``type``) says which one of its configuration members is
    used; the kinds in ``bare`` take none of them."""
    kind = config.get(key)
    given = [member for member in members.values() if member in config]
    wanted = members.get(kind) if isinstance(kind, str) else None
    if wanted and required and wanted not in config:
        yield f"{path}.{wanted}: required when {path}.{key} is {kind!r}"
    for member in given:
        if member != wanted and (wanted or kind in bare):
            uses = f"that one uses {wanted}" if wanted else "that one takes no configuration member"
            yield f"{path}.{member}: does not belong to {path}.{key} {kind!r} ({uses})"


@_rule("bedrock-agent", "CreateKnowledgeBase")
def knowledge_base_types(request: Mapping) -> Iterator[str]:
    """A knowledge base's configuration type names the member that configures it, and a vector
    knowledge base keeps its vectors in the store that storageConfiguration's type names (one
    member per type in botocore's KnowledgeBaseConfiguration and StorageConfiguration; the API
    reference: storageConfiguration is "the vector database used for the knowledge base")."""
    config = _dict(request.get("knowledgeBaseConfiguration"))
    yield from _typed_member(config, "knowledgeBaseConfiguration", _KNOWLEDGE_BASE_MEMBERS,
                             required=config.get("type") != "MANAGED")
    if config.get("type") == "VECTOR" and "storageConfiguration" not in request:
        yield "storageConfiguration: required for a VECTOR knowledge base (where its vectors are stored)"
    yield from _typed_member(_dict(request.get("storageConfiguration")), "storageConfiguration",
                             _VECTOR_STORE_MEMBERS, required=True)


_DATA_SOURCE_MEMBERS = {"S3": "s3Configuration", "WEB": "webConfiguration",
                        "CONFLUENCE": "confluenceConfiguration", "SALESFORCE": "salesforceConfiguration",
                        "SHAREPOINT": "sharePointConfiguration",
                        "MANAGED_KNOWLEDGE_BASE_CONNECTOR": "managedKnowledgeBaseConnectorConfiguration"}
_CHUNKING_MEMBERS = {"FIXED_SIZE": "fixedSizeChunkingConfiguration",
                     "HIERARCHICAL": "hierarchicalChunkingConfiguration",
                     "SEMANTIC": "semanticChunkingConfiguration"}


@_rule("bedrock-agent", "CreateDataSource", "UpdateDataSource")
def data_source_types(request: Mapping) -> Iterator[str]:
    """A data source's type names the member that configures its connector, and a chunking
    strategy the member that sets its parameters; NONE takes none ("If you set the
    chunkingStrategy as NONE, exclude this field", botocore's ChunkingConfiguration)."""
    source = _dict(request.get("dataSourceConfiguration"))
    yield from _typed_member(source, "dataSourceConfiguration", _DATA_SOURCE_MEMBERS, required=True)
    path = "vectorIngestionConfiguration.chunkingConfiguration"
    chunking = _dict(_dict(request.get("vectorIngestionConfiguration")).get("chunkingConfiguration"))
    yield from _typed_member(chunking, path, _CHUNKING_MEMBERS, required=True,
                             key="chunkingStrategy", bare=("NONE",))


@_rule("bedrock", "CreateGuardrail", "UpdateGuardrail")
def guardrail_filters(request: Mapping) -> Iterator[str]:
    """A prompt attack is something a user's prompt does, so the PROMPT_ATTACK content filter
    screens input only and its outputStrength must be NONE (the API's ValidationException "The
    outputStrength for PROMPT_ATTACK filter must be NONE"; User Guide, guardrails-prompt-attack)."""
    filters = _items(_dict(request.get("contentPolicyConfig")).get("filtersConfig"))
    for index, config in enumerate(filters):
        config = _dict(config)
        if config.get("type") == "PROMPT_ATTACK" and config.get("outputStrength", "NONE") != "NONE":
            yield (f"contentPolicyConfig.filtersConfig[{index}].outputStrength: must be 'NONE' for "
                   f"PROMPT_ATTACK (it screens prompts, not responses), got {_got(config['outputStrength'])}")


# (service, operation) -> its rules; read-only, so that a notebook cannot quietly empty it
RULES: Mapping[tuple[str, str], tuple[Rule, ...]] = MappingProxyType(
    {key: tuple(rules) for key, rules in _REGISTERED.items()})


# ---------------------------------------------------------------------------------------------
# What students call


def problems(operation: str, request: Any, *, service: str = "sagemaker") -> list[str]:
    """Every reason ``service`` would reject ``request`` for ``operation`` (empty: valid).

    ``operation`` is the API's name (``CreateTrainingJob``) or boto3's (``create_training_job``).
    """
    shape = _input_shape(operation, service)
    found = list(_walk(request, shape, ""))
    if isinstance(request, Mapping):
        name = _operation_names(service)[operation]
        for rule in RULES.get((service, name), []):
            try:
                found.extend(rule(request))
            except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
                continue               # a malformed part the walk above already reported
    return list(dict.fromkeys(found))


def check(operation: str, request: Any, *, service: str = "sagemaker") -> None:
    """Raise ``RequestInvalid`` listing every problem of ``request`` (see ``problems``)."""
    found = problems(operation, request, service=service)
    if found:
        lines = "\n".join(f"  - {problem}" for problem in found)
        raise RequestInvalid(f"{operation}: {len(found)} problem(s) in the request:\n{lines}")


def _describe_shape(shape) -> str:
    kind = shape.type_name
    if kind == "string" and shape.enum:
        return "str: " + " | ".join(shape.enum)
    text = {"structure": "dict", "map": "dict", "list": "list", "string": "str",
            "integer": "int", "long": "int", "float": "float", "double": "float",
            "boolean": "bool", "timestamp": "datetime", "blob": "bytes"}.get(kind, kind)
    if kind == "list":
        text += f" of {_describe_shape(shape.member)}"
    if kind == "map":
        text = f"dict of {_describe_shape(shape.key)} -> {_describe_shape(shape.value)}"
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None or high is not None:
        unit = {"string": " characters", "list": " items", "map": " entries"}.get(kind, "")
        text += f" ({'' if low is None else low}..{'' if high is None else high}{unit})"
    return text


def describe(operation: str, path: str = "", *, service: str = "sagemaker") -> str:
    """The members allowed at ``path`` of a request ("" = the top level; "A.B" inside A), with
    their types, allowed values and limits, required ones marked with *."""
    shape = _input_shape(operation, service)
    for part in [p for p in re.split(r"\.|\[\d+\]", path) if p]:
        while shape.type_name == "list":
            shape = shape.member
        if shape.type_name != "structure" or part not in shape.members:
            allowed = list(shape.members) if shape.type_name == "structure" else []
            guess = _near(part, allowed)
            hint = f"; did you mean {guess!r}?" if guess else ""
            raise ValueError(f"{path}: {part!r} is not a member here{hint}")
        shape = shape.members[part]
    while shape.type_name == "list":
        shape = shape.member
    if shape.type_name != "structure":
        return f"{path or operation}: {_describe_shape(shape)}"
    required = set(shape.required_members)
    rows = [(name + ("*" if name in required else ""), _describe_shape(member))
            for name, member in shape.members.items()]
    width = max((len(name) for name, _ in rows), default=0)
    lines = [f"{path or operation} (* required):"]
    lines += [f"  {name:<{width}}  {kind}" for name, kind in rows]
    return "\n".join(lines)
