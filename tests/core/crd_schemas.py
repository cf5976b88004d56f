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


SECRET_REF = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string"}},
}
SECRET_KEY = {
    "type": "object",
    "required": ["name", "key"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string"}, "key": {"type": "string"}},
}
QUANTITY = {"type": ["string", "integer"]}
METADATA = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "namespace": {"type": "string"}, "labels": {"type": "object"}},
}

BARMAN_OBJECT_STORE = {
    "type": "object",
    "required": ["destinationPath"],
    "additionalProperties": False,
    "properties": {
        "destinationPath": {"type": "string", "pattern": "^s3://"},
        "endpointURL": {"type": "string"},
        "serverName": {"type": "string"},
        "s3Credentials": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "accessKeyId": SECRET_KEY,
                "secretAccessKey": SECRET_KEY,
                "region": SECRET_KEY,
                "sessionToken": SECRET_KEY,
                "inheritFromIAMRole": {"type": "boolean"},
            },
        },
        "wal": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "compression": {"enum": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]},
                "encryption": {"enum": ["AES256", "aws:kms"]},
                "maxParallel": {"type": "integer", "minimum": 1},
            },
        },
        "data": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "compression": {"enum": ["bzip2", "gzip", "lz4", "snappy", "xz", "zstd"]},
                "encryption": {"enum": ["AES256", "aws:kms"]},
                "jobs": {"type": "integer", "minimum": 1},
                "immediateCheckpoint": {"type": "boolean"},
            },
        },
    },
}

ROLE = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "ensure": {"enum": ["present", "absent"]},
        "comment": {"type": "string"},
        "login": {"type": "boolean"},
        "superuser": {"type": "boolean"},
        "bypassrls": {"type": "boolean"},
        "createdb": {"type": "boolean"},
        "createrole": {"type": "boolean"},
        "inherit": {"type": "boolean"},
        "replication": {"type": "boolean"},
        "connectionLimit": {"type": "integer"},
        "validUntil": {"type": "string"},
        "inRoles": {"type": "array", "items": {"type": "string"}},
        "passwordSecret": SECRET_REF,
        "disablePassword": {"type": "boolean"},
    },
}

CLUSTER_SPEC = {
    "type": "object",
    "required": ["instances", "storage"],
    "additionalProperties": False,
    "properties": {
        "instances": {"type": "integer", "minimum": 1},
        "imageName": {"type": "string", "pattern": r":[0-9][^:]*$"},
        "primaryUpdateStrategy": {"enum": ["supervised", "unsupervised"]},
        "enableSuperuserAccess": {"type": "boolean"},
        "postgresql": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"parameters": {"type": "object", "additionalProperties": {"type": "string"}}},
        },
        "bootstrap": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "initdb": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "database": {"type": "string"},
                        "owner": {"type": "string"},
                        "secret": SECRET_REF,
                        "encoding": {"type": "string"},
                        "localeCollate": {"type": "string"},
                        "localeCType": {"type": "string"},
                    },
                },
                "recovery": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["source"],
                    "properties": {
                        "source": {"type": "string"},
                        "database": {"type": "string"},
                        "owner": {"type": "string"},
                        "secret": SECRET_REF,
                        "recoveryTarget": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "targetTime": {"type": "string"},
                                "targetLSN": {"type": "string"},
                                "targetXID": {"type": "string"},
                                "targetName": {"type": "string"},
                                "targetImmediate": {"type": "boolean"},
                                "exclusive": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
        },
        "managed": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"roles": {"type": "array", "items": ROLE}},
        },
        "storage": {
            "type": "object",
            "required": ["size"],
            "additionalProperties": False,
            "properties": {"size": QUANTITY, "storageClass": {"type": "string"}},
        },
        "walStorage": {
            "type": "object",
            "required": ["size"],
            "additionalProperties": False,
            "properties": {"size": QUANTITY, "storageClass": {"type": "string"}},
        },
        "resources": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"requests": {"type": "object"}, "limits": {"type": "object"}},
        },
        "affinity": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enablePodAntiAffinity": {"type": "boolean"},
                "topologyKey": {"type": "string"},
                "podAntiAffinityType": {"enum": ["preferred", "required"]},
            },
        },
        "monitoring": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"enablePodMonitor": {"type": "boolean"}},
        },
        "backup": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "retentionPolicy": {"type": "string", "pattern": "^[1-9][0-9]*[dwm]$"},
                "barmanObjectStore": BARMAN_OBJECT_STORE,
                "target": {"enum": ["primary", "prefer-standby"]},
            },
        },
        "externalClusters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {"name": {"type": "string"}, "barmanObjectStore": BARMAN_OBJECT_STORE},
            },
        },
    },
}

POOLER_SPEC = {
    "type": "object",
    "required": ["cluster", "pgbouncer"],
    "additionalProperties": False,
    "properties": {
        "cluster": SECRET_REF,
        "instances": {"type": "integer", "minimum": 0},
        "type": {"enum": ["rw", "ro", "r"]},
        "pgbouncer": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "poolMode": {"enum": ["session", "transaction"]},
                "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
                "paused": {"type": "boolean"},
            },
        },
    },
}

SCHEDULED_BACKUP_SPEC = {
    "type": "object",
    "required": ["schedule", "cluster"],
    "additionalProperties": False,
    "properties": {
        # CNPG's cron format has a seconds field: six fields.
        "schedule": {"type": "string", "pattern": r"^\S+( \S+){5}$"},
        "cluster": SECRET_REF,
        "immediate": {"type": "boolean"},
        "suspend": {"type": "boolean"},
        "backupOwnerReference": {"enum": ["none", "self", "cluster"]},
        "target": {"enum": ["primary", "prefer-standby"]},
        "method": {"enum": ["barmanObjectStore", "volumeSnapshot", "plugin"]},
    },
}

PROMETHEUS_RULE_SPEC = {
    "type": "object",
    "required": ["groups"],
    "additionalProperties": False,
    "properties": {
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "rules"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "rules": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["alert", "expr"],
                            "additionalProperties": False,
                            "properties": {
                                "alert": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
                                "expr": {"type": "string", "minLength": 1},
                                "for": {"type": "string", "pattern": "^[0-9]+[smhd]$"},
                                "labels": {
                                    "type": "object",
                                    "properties": {"severity": {"enum": ["critical", "warning", "info"]}},
                                },
                                "annotations": {"type": "object", "required": ["summary"]},
                            },
                        },
                    },
                },
            },
        }
    },
}


LABEL_SELECTOR = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "matchExpressions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "operator"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string"},
                    "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                    "values": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
ENDPOINT = {
    "type": "object",
    "required": ["port"],
    "additionalProperties": False,
    "properties": {
        "port": {"type": "string"},
        "path": {"type": "string", "pattern": "^/"},
        "interval": {"type": "string", "pattern": "^[0-9]+[smh]$"},
        "bearerTokenSecret": SECRET_KEY,
    },
}
SERVICE_MONITOR_SPEC = {
    "type": "object",
    "required": ["selector", "endpoints"],
    "additionalProperties": False,
    "properties": {"selector": LABEL_SELECTOR, "endpoints": {"type": "array", "minItems": 1, "items": ENDPOINT}},
}
POD_MONITOR_SPEC = {
    "type": "object",
    "required": ["selector", "podMetricsEndpoints"],
    "additionalProperties": False,
    "properties": {
        "selector": LABEL_SELECTOR,
        "podMetricsEndpoints": {"type": "array", "minItems": 1, "items": ENDPOINT},
    },
}


def _object(api_version: str, kind: str, spec: dict) -> dict:
    return {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "additionalProperties": False,
        "properties": {
            "apiVersion": {"const": api_version},
            "kind": {"const": kind},
            "metadata": METADATA,
            "spec": spec,
        },
    }


SCHEMAS = {
    ("postgresql.cnpg.io/v1", "Cluster"): _object("postgresql.cnpg.io/v1", "Cluster", CLUSTER_SPEC),
    ("postgresql.cnpg.io/v1", "Pooler"): _object("postgresql.cnpg.io/v1", "Pooler", POOLER_SPEC),
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): _object(
        "postgresql.cnpg.io/v1", "ScheduledBackup", SCHEDULED_BACKUP_SPEC
    ),
    ("monitoring.coreos.com/v1", "PrometheusRule"): _object(
        "monitoring.coreos.com/v1", "PrometheusRule", PROMETHEUS_RULE_SPEC
    ),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): _object(
        "monitoring.coreos.com/v1", "ServiceMonitor", SERVICE_MONITOR_SPEC
    ),
    ("monitoring.coreos.com/v1", "PodMonitor"): _object("monitoring.coreos.com/v1", "PodMonitor", POD_MONITOR_SPEC),
}
