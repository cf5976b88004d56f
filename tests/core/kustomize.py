"""A small kustomize renderer for the tests: ``kubectl kustomize`` is not on the test machines.

It implements exactly what deploy/kubernetes/ uses — resources (files and directories),
namespace, labels (metadata only), images (newName/newTag) and strategic-merge patches matched
by kind and name (maps merged, lists of named items merged by name) — and refuses any other
kustomization field, so the manifests cannot quietly depend on something it does not render."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass"}


def load_all(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def render(folder: Path) -> list[dict]:
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise ValueError(f"{folder}: kustomization fields the test renderer does not support: {unknown}")
    objects: list[dict] = []
    for entry in kustomization.get("resources", []):
        target = (folder / entry).resolve()
        objects += render(target) if target.is_dir() else load_all(target)
    for patch_entry in kustomization.get("patches", []):
        for patch in load_all(folder / patch_entry["path"]):
            matches = [
                o for o in objects if (o["kind"], o["metadata"]["name"]) == (patch["kind"], patch["metadata"]["name"])
            ]
            if len(matches) != 1:
                raise ValueError(f"patch {patch['kind']}/{patch['metadata']['name']} matches {len(matches)} objects")
            merged = merge(matches[0], patch)
            objects[objects.index(matches[0])] = merged
    for label in kustomization.get("labels", []):
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(label["pairs"])
    for image in kustomization.get("images", []):
        for container in _containers(objects):
            name, _, _tag = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image['newTag']}"
    if "namespace" in kustomization:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = kustomization["namespace"]
    return objects


def _containers(objects):
    for obj in objects:
        spec = obj.get("spec", {})
        template = spec.get("template") or spec.get("jobTemplate", {}).get("spec", {}).get("template")
        if template:
            yield from template["spec"].get("containers", [])
            yield from template["spec"].get("initContainers", [])


def merge(base, patch):
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in base + patch)
    ):
        out = copy.deepcopy(base)
        names = [i["name"] for i in out]
        for item in patch:
            if item["name"] in names:
                out[names.index(item["name"])] = merge(out[names.index(item["name"])], item)
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(patch)
