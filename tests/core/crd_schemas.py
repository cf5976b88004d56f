"""JSON schemas for the custom resources in deploy/kubernetes/.

* CloudNativePG (Cluster, Pooler, ScheduledBackup): the **published** CRD schemas, kept
  offline in ``tests/core/data/cnpg-crd-schemas.json`` (the ``openAPIV3Schema`` of each CRD of
  the operator's repository, descriptions removed; provenance inside the file). They are
  closed the way the API server's strict field validation treats them: an object that lists
  its properties accepts no other (unless it preserves unknown fields), so a misspelt field
  fails here as it would at ``kubectl apply``. No PyPI package ships these schemas.
* On top of that, and for the Prometheus Operator kinds (whose CRDs are not kept here),
  ``SCHEMAS`` below: the fields siaks writes, transcribed from the API references with their
  types and enumerations and a few rules of ours (a pinned image tag, CNPG's six-field cron).
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

CNPG_FILE = Path(__file__).with_name("data") / "cnpg-crd-schemas.json"


def _closed(schema):
    if isinstance(schema, dict):
        schema = {k: _closed(v) for k, v in schema.items()}
        if (
            schema.get("type") == "object"
            and "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


@functools.cache
def published_cnpg() -> dict:
    """{kind: closed published schema} for the CloudNativePG kinds."""
    data = json.loads(CNPG_FILE.read_text())
    return {kind: _closed(copy.deepcopy(schema)) for kind, schema in data.items() if not kind.startswith("_")}


def regenerate_cnpg(crd_folder: Path) -> None:  # pragma: no cover - maintenance helper
    """Rewrite the kept schemas from ``config/crd/bases`` of a CloudNativePG checkout."""
    import yaml

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "description"}
        return [strip(v) for v in node] if isinstance(node, list) else node

    data = json.loads(CNPG_FILE.read_text())
    for kind, name in (("Cluster", "clusters"), ("Pooler", "poolers"), ("ScheduledBackup", "scheduledbackups")):
        crd = yaml.safe_load((crd_folder / f"postgresql.cnpg.io_{name}.yaml").read_text())
        [version] = [v for v in crd["spec"]["versions"] if v["name"] == "v1"]
        data[kind] = strip(version["schema"]["openAPIV3Schema"])
    CNPG_FILE.write_text(json.dumps(data, sort_keys=True, indent=1) + "\n")


def obj(properties: dict, *, required=(), **extra) -> dict:
    """A closed object schema (no field but those listed), as strict field validation treats it."""
    schema = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema | extra


STR = {"type": "string"}
BOOL = {"type": "boolean"}
INT = {"type": "integer"}
STR_MAP = {"type": "object", "additionalProperties": STR}


def str_pattern(pattern: str) -> dict:
    return {"type": "string", "pattern": pattern}


SECRET_REF = obj({"name": STR}, required=["name"])
SECRET_KEY = obj({"name": STR, "key": STR}, required=["name", "key"])
QUANTITY = {"type": ["string", "integer"]}
METADATA = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": STR, "namespace": STR, "labels": {"type": "object"}},
}
COMPRESSION = {"enum": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]}
ENCRYPTION = {"enum": ["AES256", "aws:kms"]}
TARGET = {"enum": ["primary", "prefer-standby"]}

BARMAN_OBJECT_STORE = obj(
    {
        "destinationPath": str_pattern("^s3://"),
        "endpointURL": STR,
        "serverName": STR,
        "s3Credentials": obj(
            {
                "accessKeyId": SECRET_KEY,
                "secretAccessKey": SECRET_KEY,
                "region": SECRET_KEY,
                "sessionToken": SECRET_KEY,
                "inheritFromIAMRole": BOOL,
            }
        ),
        "wal": obj(
            {"compression": COMPRESSION, "encryption": ENCRYPTION, "maxParallel": {"type": "integer", "minimum": 1}}
        ),
        "data": obj(
            {
                "compression": COMPRESSION,
                "encryption": ENCRYPTION,
                "jobs": {"type": "integer", "minimum": 1},
                "immediateCheckpoint": BOOL,
            }
        ),
    },
    required=["destinationPath"],
)

ROLE = obj(
    {
        "name": STR,
        "ensure": {"enum": ["present", "absent"]},
        "comment": STR,
        **dict.fromkeys(["login", "superuser", "bypassrls", "createdb", "createrole", "inherit", "replication"], BOOL),
        "connectionLimit": INT,
        "validUntil": STR,
        "inRoles": {"type": "array", "items": STR},
        "passwordSecret": SECRET_REF,
        "disablePassword": BOOL,
    },
    required=["name"],
)

STORAGE = obj({"size": QUANTITY, "storageClass": STR}, required=["size"])

CLUSTER_SPEC = obj(
    {
        "instances": {"type": "integer", "minimum": 1},
        "imageName": str_pattern(r":[0-9][^:]*$"),
        "primaryUpdateStrategy": {"enum": ["supervised", "unsupervised"]},
        "enableSuperuserAccess": BOOL,
        "postgresql": obj({"parameters": STR_MAP}),
        "bootstrap": obj(
            {
                "initdb": obj(
                    {
                        "database": STR,
                        "owner": STR,
                        "secret": SECRET_REF,
                        "encoding": STR,
                        "localeCollate": STR,
                        "localeCType": STR,
                    }
                ),
                "recovery": obj(
                    {
                        "source": STR,
                        "database": STR,
                        "owner": STR,
                        "secret": SECRET_REF,
                        "recoveryTarget": obj(
                            {
                                **dict.fromkeys(["targetTime", "targetLSN", "targetXID", "targetName"], STR),
                                "targetImmediate": BOOL,
                                "exclusive": BOOL,
                            }
                        ),
                    },
                    required=["source"],
                ),
            }
        ),
        "managed": obj({"roles": {"type": "array", "items": ROLE}}),
        "storage": STORAGE,
        "walStorage": STORAGE,
        "resources": obj({"requests": {"type": "object"}, "limits": {"type": "object"}}),
        "affinity": obj(
            {
                "enablePodAntiAffinity": BOOL,
                "topologyKey": STR,
                "podAntiAffinityType": {"enum": ["preferred", "required"]},
            }
        ),
        "monitoring": obj({"enablePodMonitor": BOOL}),
        "backup": obj(
            {
                "retentionPolicy": str_pattern("^[1-9][0-9]*[dwm]$"),
                "barmanObjectStore": BARMAN_OBJECT_STORE,
                "target": TARGET,
            }
        ),
        "externalClusters": {
            "type": "array",
            "items": obj({"name": STR, "barmanObjectStore": BARMAN_OBJECT_STORE}, required=["name"]),
        },
    },
    required=["instances", "storage"],
)

POOLER_SPEC = obj(
    {
        "cluster": SECRET_REF,
        "instances": {"type": "integer", "minimum": 0},
        "type": {"enum": ["rw", "ro", "r"]},
        "pgbouncer": obj({"poolMode": {"enum": ["session", "transaction"]}, "parameters": STR_MAP, "paused": BOOL}),
    },
    required=["cluster", "pgbouncer"],
)

SCHEDULED_BACKUP_SPEC = obj(
    {
        # CNPG's cron format has a seconds field: six fields.
        "schedule": str_pattern(r"^\S+( \S+){5}$"),
        "cluster": SECRET_REF,
        "immediate": BOOL,
        "suspend": BOOL,
        "backupOwnerReference": {"enum": ["none", "self", "cluster"]},
        "target": TARGET,
        "method": {"enum": ["barmanObjectStore", "volumeSnapshot", "plugin"]},
    },
    required=["schedule", "cluster"],
)

ALERT_RULE = obj(
    {
        "alert": str_pattern("^[A-Za-z][A-Za-z0-9_]*$"),
        "expr": {"type": "string", "minLength": 1},
        "for": str_pattern("^[0-9]+[smhd]$"),
        "labels": {"type": "object", "properties": {"severity": {"enum": ["critical", "warning", "info"]}}},
        "annotations": {"type": "object", "required": ["summary"]},
    },
    required=["alert", "expr"],
)
PROMETHEUS_RULE_SPEC = obj(
    {
        "groups": {
            "type": "array",
            "items": obj({"name": STR, "rules": {"type": "array", "items": ALERT_RULE}}, required=["name", "rules"]),
        }
    },
    required=["groups"],
)


LABEL_SELECTOR = obj(
    {
        "matchLabels": STR_MAP,
        "matchExpressions": {
            "type": "array",
            "items": obj(
                {
                    "key": STR,
                    "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                    "values": {"type": "array", "items": STR},
                },
                required=["key", "operator"],
            ),
        },
    }
)
ENDPOINT = obj(
    {
        "port": STR,
        "path": str_pattern("^/"),
        "interval": str_pattern("^[0-9]+[smh]$"),
        "bearerTokenSecret": SECRET_KEY,
    },
    required=["port"],
)
SERVICE_MONITOR_SPEC = obj(
    {"selector": LABEL_SELECTOR, "endpoints": {"type": "array", "minItems": 1, "items": ENDPOINT}},
    required=["selector", "endpoints"],
)
POD_MONITOR_SPEC = obj(
    {"selector": LABEL_SELECTOR, "podMetricsEndpoints": {"type": "array", "minItems": 1, "items": ENDPOINT}},
    required=["selector", "podMetricsEndpoints"],
)


def _object(api_version: str, kind: str, spec: dict) -> dict:
    return obj(
        {"apiVersion": {"const": api_version}, "kind": {"const": kind}, "metadata": METADATA, "spec": spec},
        required=["apiVersion", "kind", "metadata", "spec"],
    )


SCHEMAS = {
    (api_version, kind): _object(api_version, kind, spec)
    for api_version, kind, spec in [
        ("postgresql.cnpg.io/v1", "Cluster", CLUSTER_SPEC),
        ("postgresql.cnpg.io/v1", "Pooler", POOLER_SPEC),
        ("postgresql.cnpg.io/v1", "ScheduledBackup", SCHEDULED_BACKUP_SPEC),
        ("monitoring.coreos.com/v1", "PrometheusRule", PROMETHEUS_RULE_SPEC),
        ("monitoring.coreos.com/v1", "ServiceMonitor", SERVICE_MONITOR_SPEC),
        ("monitoring.coreos.com/v1", "PodMonitor", POD_MONITOR_SPEC),
    ]
}
