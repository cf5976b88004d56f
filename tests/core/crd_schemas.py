"""JSON schemas for the custom resources in deploy/kubernetes/ (CloudNativePG Cluster, Pooler,
ScheduledBackup; Prometheus Operator PrometheusRule).

Their published CRD schemas are not available offline here (no PyPI package ships them), so
these are transcribed from the CloudNativePG 1.25 API reference and the Prometheus Operator
v1 API for the fields siaks uses — with the same types and enumerations — and closed
(``additionalProperties: false``) wherever we write, so a misspelt or misplaced field fails
instead of being ignored by the operator. Fields we do not write are not listed."""

from __future__ import annotations

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
