"""``course.sagemaker``: requests checked offline against botocore's service models.

Each check has a valid request that passes and an invalid one that fails with a message naming
the path; each documented rule has both too. A control proves the point of the module: botocore's
own validator lets through what this one catches, and whatever botocore rejects, this rejects.
"""
from __future__ import annotations

import copy
import datetime
import itertools
from decimal import Decimal

import numpy as np
import pytest
from botocore.exceptions import ParamValidationError
from botocore.session import get_session
from botocore.validate import validate_parameters

from course import sagemaker
from course.checks import CheckFailed

TUNING = "CreateHyperParameterTuningJob"


def tuning_request() -> dict:
    """The valid request of AWS_FACTS.md §3 (a Bayesian XGBoost tuning job with Spot)."""
    return {
        "HyperParameterTuningJobName": "xgb-hpo-demo",
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:auc"},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 2,
                               "MaxRuntimeInSeconds": 3600},
            "ParameterRanges": {
                "ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.01", "MaxValue": "0.5",
                                               "ScalingType": "Logarithmic"}],
                "IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "3", "MaxValue": "10",
                                            "ScalingType": "Linear"}],
                "CategoricalParameterRanges": [{"Name": "tree_method",
                                                "Values": ["hist", "approx"]}]},
            "TrainingJobEarlyStoppingType": "Auto"},
        "TrainingJobDefinition": {
            "StaticHyperParameters": {"num_round": "200", "objective": "binary:logistic"},
            "AlgorithmSpecification": {"TrainingImage": "<ecr-uri>", "TrainingInputMode": "File"},
            "RoleArn": "arn:aws:iam::123456789012:role/R",
            "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv", "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/train/"}}}],
            "OutputDataConfig": {"S3OutputPath": "s3://b/out/"},
            "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                               "VolumeSizeInGB": 10},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200},
            "EnableManagedSpotTraining": True,
            "CheckpointConfig": {"S3Uri": "s3://b/ckpt/"}},
        "WarmStartConfig": {"ParentHyperParameterTuningJobs": [{"HyperParameterTuningJobName":
                                                                "parent-1"}],
                            "WarmStartType": "IdenticalDataAndAlgorithm"}}


def training_request() -> dict:
    definition = tuning_request()["TrainingJobDefinition"]
    del definition["StaticHyperParameters"]
    return {"TrainingJobName": "xgb-train", "HyperParameters": {"num_round": "100"}, **definition}


def config(request: dict) -> dict:
    return request["HyperParameterTuningJobConfig"]


def ranges(request: dict) -> dict:
    return config(request)["ParameterRanges"]


def only(found: list[str], *fragments: str) -> None:
    """Exactly one problem, and it says all of ``fragments``."""
    assert len(found) == 1, found
    for fragment in fragments:
        assert fragment in found[0], (fragment, found)


def test_the_valid_requests_pass_here_and_in_botocore():
    service = get_session().get_service_model("sagemaker")
    for operation, request in ((TUNING, tuning_request()), ("CreateTrainingJob", training_request())):
        assert sagemaker.problems(operation, request) == []
        validate_parameters(request, service.operation_model(operation).input_shape)


def test_boto3_method_names_work_and_a_misspelt_operation_is_named():
    assert sagemaker.problems("create_hyper_parameter_tuning_job", tuning_request()) == []
    with pytest.raises(ValueError, match="did you mean 'CreateHyperParameterTuningJob'"):
        sagemaker.problems("CreateHyperparameterTuningJob", tuning_request())


def test_an_enum_value_outside_the_model_is_caught_where_botocore_lets_it_through():
    request = tuning_request()
    config(request)["Strategy"] = "Genetic"
    shape = get_session().get_service_model("sagemaker").operation_model(TUNING).input_shape
    validate_parameters(request, shape)                     # the control: botocore says nothing
    only(sagemaker.problems(TUNING, request), "HyperParameterTuningJobConfig.Strategy: 'Genetic' "
         "is not one of Bayesian, Random, Hyperband, Grid")


def test_an_enum_in_the_wrong_case_gets_a_suggestion():
    request = tuning_request()
    request["WarmStartConfig"]["WarmStartType"] = "IDENTICAL_DATA_AND_ALGORITHM"
    only(sagemaker.problems(TUNING, request), "WarmStartConfig.WarmStartType",
         "did you mean 'IdenticalDataAndAlgorithm'?")


def test_maxima_lengths_and_patterns_are_checked():
    request = tuning_request()
    request["HyperParameterTuningJobName"] = "a" * 33
    only(sagemaker.problems(TUNING, request), "HyperParameterTuningJobName: 33 characters, "
         "at most 32 allowed")
    request["HyperParameterTuningJobName"] = "xgb_hpo"          # underscores are not allowed
    only(sagemaker.problems(TUNING, request), "does not match the pattern")
    request["HyperParameterTuningJobName"] = "a" * 32           # the exact maximum passes
    assert sagemaker.problems(TUNING, request) == []
    request = tuning_request()
    request["WarmStartConfig"]["ParentHyperParameterTuningJobs"] *= 6     # at most 5 parents
    only(sagemaker.problems(TUNING, request), "ParentHyperParameterTuningJobs: 6 items, at most 5")
    request = tuning_request()
    config(request)["ResourceLimits"]["MaxRuntimeInSeconds"] = 119        # 120 is the minimum
    only(sagemaker.problems(TUNING, request), "MaxRuntimeInSeconds: 119 is below the minimum 120")


def test_unknown_members_name_the_member_they_probably_meant():
    request = tuning_request()
    config(request)["Stratgy"] = config(request).pop("Strategy")
    found = sagemaker.problems(TUNING, request)
    assert "HyperParameterTuningJobConfig.Stratgy: unknown member; did you mean 'Strategy'?" in found
    assert "HyperParameterTuningJobConfig.Strategy: required member missing" in found
    request = tuning_request()
    request["TrainingJobDefinition"]["Zebra"] = 1            # nothing close: the allowed list
    only(sagemaker.problems(TUNING, request), "TrainingJobDefinition.Zebra: unknown member",
         "allowed: ")


def test_types_are_checked_with_advice_for_the_usual_slips():
    request = tuning_request()
    ranges(request)["ContinuousParameterRanges"][0]["MinValue"] = 0.01
    only(sagemaker.problems(TUNING, request), "ContinuousParameterRanges[0].MinValue: expected a "
         "str, got float 0.01", "write '0.01'")
    request = tuning_request()
    config(request)["ResourceLimits"]["MaxParallelTrainingJobs"] = np.int64(2)
    only(sagemaker.problems(TUNING, request), "MaxParallelTrainingJobs: expected an int",
         "NumPy")
    config(request)["ResourceLimits"]["MaxParallelTrainingJobs"] = True   # a bool is no count
    only(sagemaker.problems(TUNING, request), "expected an int, got bool")
    config(request)["ResourceLimits"]["MaxParallelTrainingJobs"] = "2"
    only(sagemaker.problems(TUNING, request), "a number, not a string")
    request = tuning_request()
    request["TrainingJobDefinition"]["EnableManagedSpotTraining"] = "true"
    assert any("write True or False" in p for p in sagemaker.problems(TUNING, request))


def test_lists_maps_and_nested_structures_are_walked():
    request = tuning_request()
    request["TrainingJobDefinition"]["InputDataConfig"].append({"ChannelName": "validation"})
    only(sagemaker.problems(TUNING, request),
         "TrainingJobDefinition.InputDataConfig[1].DataSource: required member missing")
    request = tuning_request()
    request["TrainingJobDefinition"]["StaticHyperParameters"]["num_round"] = 200
    only(sagemaker.problems(TUNING, request), "StaticHyperParameters['num_round']: expected a str")
    request["TrainingJobDefinition"]["StaticHyperParameters"] = [("num_round", "200")]
    only(sagemaker.problems(TUNING, request), "StaticHyperParameters: expected a dict")


def test_other_value_types_botocore_accepts_are_accepted():
    request = training_request()
    request["StoppingCondition"]["MaxRuntimeInSeconds"] = 3600
    assert sagemaker.problems("CreateTrainingJob", request) == []
    schedule = {"EndpointName": "e", "DesiredWeightsAndCapacities": [
        {"VariantName": "v", "DesiredWeight": Decimal("0.5")}]}
    assert sagemaker.problems("UpdateEndpointWeightsAndCapacities", schedule) == []
    schedule["DesiredWeightsAndCapacities"][0]["DesiredWeight"] = np.float64(0.5)
    assert sagemaker.problems("UpdateEndpointWeightsAndCapacities", schedule) == []
    search = {"Resource": "TrainingJob", "SearchExpression": {"Filters": [
        {"Name": "CreationTime", "Operator": "GreaterThan", "Value": "2026-01-01"}]}}
    assert sagemaker.problems("Search", search) == []
    listing = {"CreationTimeAfter": datetime.datetime(2026, 1, 1)}
    assert sagemaker.problems("ListTrainingJobs", listing) == []
    listing = {"CreationTimeAfter": [2026]}
    only(sagemaker.problems("ListTrainingJobs", listing), "CreationTimeAfter: expected a datetime")


def test_nothing_a_request_holds_makes_the_checker_crash():
    hostile = [None, 3, "text", [], [1, 2], {1: 2}, {"HyperParameterTuningJobConfig": None},
               {"HyperParameterTuningJobConfig": {"ParameterRanges": "x", "Strategy": "Grid"}},
               {"TrainingJobDefinition": [], "HyperParameterTuningJobConfig": {}},
               {"HyperParameterTuningJobConfig": {"ParameterRanges": {
                   "IntegerParameterRanges": [{"MinValue": "1e999", "MaxValue": None}],
                   "ContinuousParameterRanges": [None, {"MinValue": "nan", "MaxValue": "inf",
                                                         "ScalingType": "Logarithmic"}]}}}]
    for request in hostile:
        found = sagemaker.problems(TUNING, request)
        assert found and all(isinstance(p, str) for p in found), request
    assert sagemaker.problems("CreateModel", {"Containers": "x"})
    for operation, service, request in (
            ("CreateDataSource", "bedrock-agent", {"dataSourceConfiguration": {"type": [1], "s3Configuration": 2},
                                                   "vectorIngestionConfiguration": {"chunkingConfiguration": {
                                                       "chunkingStrategy": {}, "fixedSizeChunkingConfiguration": []}}}),
            ("CreateGuardrail", "bedrock", {"contentPolicyConfig": {"filtersConfig": [None, "x", {"type": []}]}}),
            ("CreateEndpointConfig", "sagemaker", {"ProductionVariants": 5, "ShadowProductionVariants": "ab"}),
            ("CreateCompilationJob", "sagemaker", {"OutputConfig": {"TargetPlatform": [], "CompilerOptions": 1}})):
        found = sagemaker.problems(operation, request, service=service)
        assert found and all(isinstance(p, str) for p in found), request


def test_check_raises_an_assertion_that_lists_every_problem():
    request = tuning_request()
    config(request)["Strategy"] = "Genetic"
    del request["HyperParameterTuningJobName"]
    with pytest.raises(sagemaker.RequestInvalid) as raised:
        sagemaker.check(TUNING, request)
    assert isinstance(raised.value, CheckFailed) and isinstance(raised.value, AssertionError)
    assert "2 problem(s)" in str(raised.value) and "'Genetic'" in str(raised.value)
    assert sagemaker.check(TUNING, tuning_request()) is None


def test_describe_shows_members_types_allowed_values_and_limits():
    text = sagemaker.describe(TUNING, "HyperParameterTuningJobConfig")
    assert "Strategy*" in text and "Bayesian | Random | Hyperband | Grid" in text
    assert "ResourceLimits*" in text and "StrategyConfig " in text
    text = sagemaker.describe(TUNING, "HyperParameterTuningJobConfig.ParameterRanges."
                                      "ContinuousParameterRanges")
    assert "ScalingType" in text and "Logarithmic | ReverseLogarithmic" in text
    assert "HyperParameterTuningJobName*" in sagemaker.describe(TUNING)
    assert "1..32 characters" in sagemaker.describe(TUNING, "HyperParameterTuningJobName")
    with pytest.raises(ValueError, match="did you mean 'ResourceLimits'"):
        sagemaker.describe(TUNING, "HyperParameterTuningJobConfig.ResourceLimit")


# --- documented rules: a valid and an invalid request each ---------------------------------


@pytest.mark.parametrize("operation", ["CreateTrainingJob", TUNING])
def test_spot_needs_a_max_wait_of_at_least_the_run_time(operation):
    request = training_request() if operation == "CreateTrainingJob" else tuning_request()
    job = request if operation == "CreateTrainingJob" else request["TrainingJobDefinition"]
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 3600}
    assert sagemaker.problems(operation, request) == []       # equal is allowed
    job["StoppingCondition"]["MaxWaitTimeInSeconds"] = 3599
    only(sagemaker.problems(operation, request), "MaxWaitTimeInSeconds: 3599 is less than "
         "MaxRuntimeInSeconds (3600)")
    del job["StoppingCondition"]["MaxWaitTimeInSeconds"]
    only(sagemaker.problems(operation, request), "required with EnableManagedSpotTraining=True")
    job["EnableManagedSpotTraining"] = False                 # on-demand: no wait needed
    assert sagemaker.problems(operation, request) == []
    job["EnableManagedSpotTraining"] = True
    job["StoppingCondition"] = {"MaxWaitTimeInSeconds": 3600}   # run time defaults to one day
    only(sagemaker.problems(operation, request), "less than MaxRuntimeInSeconds (86400)")


def test_logarithmic_scaling_needs_positive_values():
    request = tuning_request()
    ranges(request)["IntegerParameterRanges"][0].update(MinValue="1", ScalingType="Logarithmic")
    assert sagemaker.problems(TUNING, request) == []
    ranges(request)["IntegerParameterRanges"][0]["MinValue"] = "0"
    only(sagemaker.problems(TUNING, request), "IntegerParameterRanges[0].ScalingType: Logarithmic "
         "needs values above 0")
    request = tuning_request()
    ranges(request)["ContinuousParameterRanges"][0]["MinValue"] = "0.0"
    only(sagemaker.problems(TUNING, request), "ContinuousParameterRanges[0].ScalingType")


def test_reverse_logarithmic_is_continuous_only_and_inside_zero_to_one():
    request = tuning_request()
    ranges(request)["ContinuousParameterRanges"][0].update(
        Name="momentum", MinValue="0", MaxValue="0.999", ScalingType="ReverseLogarithmic")
    assert sagemaker.problems(TUNING, request) == []
    ranges(request)["ContinuousParameterRanges"][0]["MaxValue"] = "1"
    only(sagemaker.problems(TUNING, request), "ReverseLogarithmic needs 0 <= x < 1")
    request = tuning_request()
    ranges(request)["IntegerParameterRanges"][0]["ScalingType"] = "ReverseLogarithmic"
    only(sagemaker.problems(TUNING, request), "ReverseLogarithmic is for continuous ranges only")


def test_range_bounds_are_numbers_in_order():
    request = tuning_request()
    ranges(request)["IntegerParameterRanges"][0].update(MinValue="10", MaxValue="10")
    assert sagemaker.problems(TUNING, request) == []           # a one-value range is a range
    ranges(request)["IntegerParameterRanges"][0]["MinValue"] = "11"
    only(sagemaker.problems(TUNING, request), "MinValue 11 is above MaxValue 10")
    ranges(request)["IntegerParameterRanges"][0]["MinValue"] = "3.5"
    only(sagemaker.problems(TUNING, request), "MinValue: '3.5' is not a whole number")
    request = tuning_request()
    ranges(request)["ContinuousParameterRanges"][0]["MaxValue"] = "half"
    only(sagemaker.problems(TUNING, request), "MaxValue: 'half' is not a number")


def test_at_most_thirty_tunable_hyperparameters_in_all():
    request = tuning_request()
    continuous = [{"Name": f"c{i}", "MinValue": "0", "MaxValue": "1"} for i in range(14)]
    categorical = [{"Name": f"k{i}", "Values": ["a", "b"]} for i in range(15)]
    ranges(request).update(ContinuousParameterRanges=continuous,
                           CategoricalParameterRanges=categorical)        # 14 + 1 + 15 = 30
    assert sagemaker.problems(TUNING, request) == []
    continuous.append({"Name": "c14", "MinValue": "0", "MaxValue": "1"})
    only(sagemaker.problems(TUNING, request), "31 tunable hyperparameters, at most 30 in all")


def test_hyperband_stops_jobs_itself_and_strategy_config_is_for_hyperband_only():
    request = tuning_request()
    config(request).update(Strategy="Hyperband", TrainingJobEarlyStoppingType="Off",
                           StrategyConfig={"HyperbandStrategyConfig": {"MinResource": 1,
                                                                       "MaxResource": 20}})
    assert sagemaker.problems(TUNING, request) == []
    del config(request)["TrainingJobEarlyStoppingType"]         # Off is the default
    assert sagemaker.problems(TUNING, request) == []
    config(request)["TrainingJobEarlyStoppingType"] = "Auto"
    only(sagemaker.problems(TUNING, request), "TrainingJobEarlyStoppingType: must be Off with "
         "the Hyperband strategy")
    request = tuning_request()
    config(request)["StrategyConfig"] = {"HyperbandStrategyConfig": {"MaxResource": 20}}
    only(sagemaker.problems(TUNING, request), "StrategyConfig: only for the Hyperband strategy")


def test_grid_takes_categorical_ranges_and_runs_every_combination_once():
    request = tuning_request()
    config(request)["Strategy"] = "Grid"
    ranges(request).update(ContinuousParameterRanges=[], IntegerParameterRanges=[],
                           CategoricalParameterRanges=[
                               {"Name": "max_depth", "Values": ["3", "5", "7"]},
                               {"Name": "tree_method", "Values": ["hist", "approx"]}])
    config(request)["ResourceLimits"]["MaxNumberOfTrainingJobs"] = 6
    assert sagemaker.problems(TUNING, request) == []
    del config(request)["ResourceLimits"]["MaxNumberOfTrainingJobs"]
    assert sagemaker.problems(TUNING, request) == []
    config(request)["ResourceLimits"]["MaxNumberOfTrainingJobs"] = 20
    only(sagemaker.problems(TUNING, request), "MaxNumberOfTrainingJobs: 20, but Grid runs every "
         "combination once (6)")
    config(request)["ResourceLimits"]["MaxNumberOfTrainingJobs"] = 6
    ranges(request)["IntegerParameterRanges"] = [{"Name": "d", "MinValue": "1", "MaxValue": "3"}]
    only(sagemaker.problems(TUNING, request), "IntegerParameterRanges[0]: the Grid strategy takes "
         "categorical ranges only")


def test_ranges_inside_training_job_definitions_are_checked_too():
    request = tuning_request()
    definition = request.pop("TrainingJobDefinition")
    definition["DefinitionName"] = "xgb"
    definition["TuningObjective"] = {"Type": "Maximize", "MetricName": "validation:auc"}
    definition["HyperParameterRanges"] = ranges(request)
    del config(request)["ParameterRanges"], config(request)["HyperParameterTuningJobObjective"]
    request["TrainingJobDefinitions"] = [definition]
    assert sagemaker.problems(TUNING, request) == []
    definition["HyperParameterRanges"]["IntegerParameterRanges"][0]["MinValue"] = "0"
    definition["HyperParameterRanges"]["IntegerParameterRanges"][0]["ScalingType"] = "Logarithmic"
    only(sagemaker.problems(TUNING, request), "TrainingJobDefinitions[0].HyperParameterRanges."
         "IntegerParameterRanges[0].ScalingType")


def container(image: str, hostname: str | None = None) -> dict:
    found = {"Image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{image}:1"}
    return found | ({"ContainerHostname": hostname} if hostname else {})


def test_a_model_has_a_primary_container_or_a_pipeline_not_both():
    role = "arn:aws:iam::123456789012:role/R"
    model = {"ModelName": "churn", "ExecutionRoleArn": role, "PrimaryContainer": container("xgb")}
    assert sagemaker.problems("CreateModel", model) == []
    model["Containers"] = [container("prep"), container("xgb")]
    only(sagemaker.problems("CreateModel", model), "either PrimaryContainer or Containers, not both")
    del model["PrimaryContainer"]
    assert sagemaker.problems("CreateModel", model) == []
    model["Containers"] = [container("xgb")]
    only(sagemaker.problems("CreateModel", model), "a pipeline has more than one container")
    del model["Containers"]
    only(sagemaker.problems("CreateModel", model), "PrimaryContainer: required")
    model["Containers"] = [container(f"step{i}") for i in range(16)]
    only(sagemaker.problems("CreateModel", model), "Containers: 16 items, at most 15 allowed")


def test_direct_invocation_and_named_pipelines_name_every_container():
    model = {"ModelName": "multi", "Containers": [container("a", "a"), container("b", "b")],
             "InferenceExecutionConfig": {"Mode": "Direct"}}
    assert sagemaker.problems("CreateModel", model) == []
    del model["Containers"][1]["ContainerHostname"]
    only(sagemaker.problems("CreateModel", model), "Containers[1].ContainerHostname: required",
         "direct invocation")
    model["InferenceExecutionConfig"]["Mode"] = "Serial"
    only(sagemaker.problems("CreateModel", model), "Containers[1].ContainerHostname",
         "another container of this pipeline has one")
    del model["Containers"][0]["ContainerHostname"]             # none named: names are assigned
    assert sagemaker.problems("CreateModel", model) == []
    model["InferenceExecutionConfig"]["Mode"] = "Parallel"
    only(sagemaker.problems("CreateModel", model), "'Parallel' is not one of Serial, Direct")


def test_whatever_botocore_rejects_is_rejected_here():
    """Mutations of the valid requests (each required member dropped, each scalar given a value of
    the wrong type or below its minimum): wherever botocore's validator raises, ``problems`` finds
    something too."""
    service = get_session().get_service_model("sagemaker")
    shape = service.operation_model(TUNING).input_shape
    base = tuning_request()
    rejected = 0
    for mutant in itertools.islice(_mutants(base), 400):
        try:
            validate_parameters(mutant, shape)
        except ParamValidationError:
            rejected += 1
            assert sagemaker.problems(TUNING, mutant), mutant
    assert rejected > 50            # the mutations do reach botocore's checks


def _mutants(request: dict):
    for path, value in _leaves(request):
        yield _set(request, path, None)                       # removed
        for replacement in ("", -1, 1.5, [], {}, True):
            if type(replacement) is not type(value):
                yield _set(request, path, replacement)


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))
    if path:
        yield path, value


def _set(request: dict, path: tuple, value):
    mutant = copy.deepcopy(request)
    target = mutant
    for part in path[:-1]:
        target = target[part]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return mutant


def test_a_compilation_job_targets_a_device_or_a_platform_with_json_input_shapes():
    job = {"CompilationJobName": "resnet-edge", "RoleArn": "arn:aws:iam::123456789012:role/R",
           "InputConfig": {"S3Uri": "s3://b/model.tar.gz", "Framework": "PYTORCH",
                           "DataInputConfig": '{"input0": [1, 3, 224, 224]}'},
           "OutputConfig": {"S3OutputLocation": "s3://b/compiled/", "TargetDevice": "jetson_nano"},
           "StoppingCondition": {"MaxRuntimeInSeconds": 900}}
    assert sagemaker.problems("CreateCompilationJob", job) == []
    job["OutputConfig"]["TargetPlatform"] = {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}
    found = sagemaker.problems("CreateCompilationJob", job)
    assert any("TargetDevice or TargetPlatform, not both" in p for p in found) and len(found) == 2, found
    del job["OutputConfig"]["TargetDevice"]
    only(sagemaker.problems("CreateCompilationJob", job), "CompilerOptions: required for an NVIDIA accelerator")
    job["OutputConfig"]["CompilerOptions"] = '{"gpu-code": "sm_72", "trt-ver": "8.2.1", "cuda-ver": "10.2"}'
    assert sagemaker.problems("CreateCompilationJob", job) == []
    job["OutputConfig"]["TargetPlatform"] = {"Os": "LINUX", "Arch": "ARM64"}
    del job["OutputConfig"]["CompilerOptions"]
    assert sagemaker.problems("CreateCompilationJob", job) == []
    del job["OutputConfig"]["TargetPlatform"]
    only(sagemaker.problems("CreateCompilationJob", job), "one of them is required")
    job["OutputConfig"]["TargetDevice"] = "Jetson Nano"
    only(sagemaker.problems("CreateCompilationJob", job), "did you mean 'jetson_nano'?")
    job["OutputConfig"]["TargetDevice"] = "rasp3b"
    job["InputConfig"]["DataInputConfig"] = "[1, 3, 224, 224"
    only(sagemaker.problems("CreateCompilationJob", job), "DataInputConfig", "not a JSON dictionary")


def test_other_services_use_their_own_models():
    job = {"jobName": "ft-1", "customModelName": "support-bot",
           "roleArn": "arn:aws:iam::123456789012:role/Bedrock",
           "baseModelIdentifier": "amazon.titan-text-express-v1", "customizationType": "FINE_TUNING",
           "trainingDataConfig": {"s3Uri": "s3://my-bucket/train.jsonl"},
           "outputDataConfig": {"s3Uri": "s3://my-bucket/out/"},
           "hyperParameters": {"epochCount": "2", "learningRate": "0.00001"}}
    assert sagemaker.problems("CreateModelCustomizationJob", job, service="bedrock") == []
    job["hyperParameters"]["epochCount"] = 2
    job["customizationType"] = "FINETUNING"
    found = sagemaker.problems("CreateModelCustomizationJob", job, service="bedrock")
    assert "hyperParameters['epochCount']: expected a str, got int 2 (this member is a string: " \
           "write '2')" in found
    assert any("did you mean 'FINE_TUNING'" in p for p in found) and len(found) == 2


def test_a_knowledge_base_configures_the_type_it_names():
    arn = "arn:aws:aoss:us-east-1:123456789012:collection/abcdefghij1234567890"
    kb = {"name": "manuals", "roleArn": "arn:aws:iam::123456789012:role/KnowledgeBase",
          "knowledgeBaseConfiguration": {"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {
              "embeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"}},
          "storageConfiguration": {"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {
              "collectionArn": arn, "vectorIndexName": "manuals", "fieldMapping": {
                  "vectorField": "v", "textField": "t", "metadataField": "m"}}}}
    assert sagemaker.problems("CreateKnowledgeBase", kb, service="bedrock-agent") == []
    kb["storageConfiguration"]["type"] = "PINECONE"
    found = sagemaker.problems("CreateKnowledgeBase", kb, service="bedrock-agent")
    assert any("pineconeConfiguration: required when storageConfiguration.type is 'PINECONE'" in p for p in found), found
    assert any("opensearchServerlessConfiguration: does not belong" in p for p in found), found
    del kb["storageConfiguration"]
    only(sagemaker.problems("CreateKnowledgeBase", kb, service="bedrock-agent"), "required for a VECTOR knowledge base")
    kb["knowledgeBaseConfiguration"] = {"type": "VECTOR"}
    found = sagemaker.problems("CreateKnowledgeBase", kb, service="bedrock-agent")
    assert any("vectorKnowledgeBaseConfiguration: required" in p for p in found), found


def test_a_notebook_that_disarms_the_checker_is_caught():
    """Test cells trust ``course.sagemaker``: the tamper probe sees a replaced function, the
    screen flags the assignment for review, and the rules cannot be emptied in place."""
    from course.grader import integrity
    namespace: dict = {}
    exec(integrity.SCAN, namespace)
    scan = namespace["scan"]
    assert "course.sagemaker.problems replaced" not in scan(integrity.WATCHED, (), (), None)
    original = sagemaker.problems
    try:
        sagemaker.problems = lambda *args, **kwargs: []
        assert "course.sagemaker.problems replaced" in scan(integrity.WATCHED, (), (), None)
    finally:
        sagemaker.problems = original
    assert integrity.screen("sagemaker.problems = lambda *a, **k: []") == [
        "assignments to library attributes"]
    with pytest.raises((TypeError, AttributeError)):
        sagemaker.RULES.clear()
    with pytest.raises(TypeError):
        sagemaker.RULES[("sagemaker", "CreateModel")] = ()


def test_a_serverless_variant_has_whole_gigabytes_no_instances_and_no_siblings():
    def serverless(memory=2048, **extra):
        return {"VariantName": "main", "ModelName": "churn",
                "ServerlessConfig": {"MemorySizeInMB": memory, "MaxConcurrency": 5}, **extra}

    request = {"EndpointConfigName": "churn-serverless", "ProductionVariants": [serverless()]}
    assert sagemaker.problems("CreateEndpointConfig", request) == []
    request["ProductionVariants"] = [serverless(6144)]
    assert sagemaker.problems("CreateEndpointConfig", request) == []
    request["ProductionVariants"] = [serverless(3000)]
    only(sagemaker.problems("CreateEndpointConfig", request), "MemorySizeInMB: 3000 is not a whole number of GB")
    request["ProductionVariants"] = [serverless(InstanceType="ml.m5.large")]
    only(sagemaker.problems("CreateEndpointConfig", request), "ProductionVariants[0].InstanceType",
         "a serverless variant has no instances")
    instance = {"VariantName": "big", "ModelName": "churn", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
    request["ProductionVariants"] = [serverless(), instance]
    only(sagemaker.problems("CreateEndpointConfig", request), "a serverless endpoint has exactly one production variant")
    request["ProductionVariants"] = [instance, {**instance, "VariantName": "small"}]
    assert sagemaker.problems("CreateEndpointConfig", request) == []
    del request["ProductionVariants"][1]["InstanceType"]
    only(sagemaker.problems("CreateEndpointConfig", request), "ProductionVariants[1].InstanceType: required")


def test_a_shadow_test_has_one_production_and_one_shadow_variant():
    def variant(name):
        return {"VariantName": name, "ModelName": name, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}

    request = {"EndpointConfigName": "churn-shadow", "ProductionVariants": [variant("live")],
               "ShadowProductionVariants": [variant("candidate")]}
    assert sagemaker.problems("CreateEndpointConfig", request) == []
    request["ProductionVariants"].append(variant("other"))
    only(sagemaker.problems("CreateEndpointConfig", request), "ProductionVariants: 2 variants",
         "exactly one production variant and one shadow variant")
    request["ProductionVariants"].pop()
    request["ShadowProductionVariants"].append(variant("other"))
    only(sagemaker.problems("CreateEndpointConfig", request), "ShadowProductionVariants: 2 variants")
    del request["ShadowProductionVariants"]
    request["ProductionVariants"].append(variant("other"))
    assert sagemaker.problems("CreateEndpointConfig", request) == []   # two live variants: an A/B test


def test_a_data_source_configures_its_type_and_its_chunking_strategy():
    chunking = {"chunkingStrategy": "FIXED_SIZE",
                "fixedSizeChunkingConfiguration": {"maxTokens": 300, "overlapPercentage": 20}}
    source = {"knowledgeBaseId": "KB12345678", "name": "manuals",
              "dataSourceConfiguration": {"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::manuals"}},
              "vectorIngestionConfiguration": {"chunkingConfiguration": chunking}}
    assert sagemaker.problems("CreateDataSource", source, service="bedrock-agent") == []
    source["dataSourceConfiguration"]["type"] = "WEB"
    found = sagemaker.problems("CreateDataSource", source, service="bedrock-agent")
    assert any("webConfiguration: required when dataSourceConfiguration.type is 'WEB'" in p for p in found), found
    assert any("s3Configuration: does not belong" in p for p in found) and len(found) == 2, found
    source["dataSourceConfiguration"]["type"] = "S3"
    chunking["chunkingStrategy"] = "SEMANTIC"
    found = sagemaker.problems("CreateDataSource", source, service="bedrock-agent")
    assert any("semanticChunkingConfiguration: required" in p for p in found), found
    assert any("fixedSizeChunkingConfiguration: does not belong" in p for p in found), found
    chunking["chunkingStrategy"] = "NONE"
    only(sagemaker.problems("UpdateDataSource", {**source, "dataSourceId": "DS12345678"}, service="bedrock-agent"),
         "takes no configuration member")
    del chunking["fixedSizeChunkingConfiguration"]
    assert sagemaker.problems("CreateDataSource", source, service="bedrock-agent") == []
    chunking["chunkingStrategy"] = "FIXED_SIZE"
    only(sagemaker.problems("CreateDataSource", source, service="bedrock-agent"),
         "fixedSizeChunkingConfiguration: required when")


def test_a_prompt_attack_filter_screens_prompts_only():
    guardrail = {"name": "support-bot", "blockedInputMessaging": "Sorry.", "blockedOutputsMessaging": "Sorry.",
                 "contentPolicyConfig": {"filtersConfig": [
                     {"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"},
                     {"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]}}
    assert sagemaker.problems("CreateGuardrail", guardrail, service="bedrock") == []
    guardrail["contentPolicyConfig"]["filtersConfig"][1]["outputStrength"] = "LOW"
    only(sagemaker.problems("CreateGuardrail", guardrail, service="bedrock"),
         "filtersConfig[1].outputStrength: must be 'NONE' for PROMPT_ATTACK")


@pytest.mark.parametrize("operation, service, request_, where", [
    ("CreateDataSource", "bedrock-agent",
     {"knowledgeBaseId": "KB12345678", "name": "m", "dataSourceConfiguration": {
         "type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::manuals"}},
      "vectorIngestionConfiguration": {"chunkingConfiguration": {
          "chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 300, "overlapPercentage": 150}}}},
     "overlapPercentage"),
    ("Retrieve", "bedrock-agent-runtime",
     {"knowledgeBaseId": "KB12345678", "retrievalQuery": {"text": "q"},
      "retrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 101}}}, "numberOfResults"),
    ("Converse", "bedrock-runtime",
     {"modelId": "amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": "hi"}]}],
      "inferenceConfig": {"temperature": 1.5}}, "temperature"),
])
def test_bedrock_limits_botocore_lets_through_are_caught(operation, service, request_, where):
    """AWS_FACTS §10: botocore's validator passes these; the course's checker must not."""
    shape = get_session().get_service_model(service).operation_model(operation).input_shape
    validate_parameters(request_, shape)                    # the control: botocore says nothing
    only(sagemaker.problems(operation, request_, service=service), where)
