"""Output shapes of the scoring API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from xianfeng.scoring.models import Dimension, Entry, Item, Period, Result, Scheme


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "code", "name", "points_min", "points_max", "cap", "award_once", "source"]


class DimensionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "maximum",
            "weight",
            "evaluator_role",
            "evaluator_department",
            "items",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "label", "start", "end", "state", "computed_at", "locked_at", "published_at"]


class SchemeSerializer(serializers.ModelSerializer):
    org = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = [
            "id",
            "org",
            "name",
            "template",
            "year",
            "subject_type",
            "period_kind",
            "aggregation",
            "base_points",
            "carry_over",
            "visibility",
            "grade_bands",
            "veto_grade",
            "outcome_rules",
            "status",
        ]

    def get_org(self, obj: Scheme) -> dict[str, Any]:
        return {"id": obj.org_id, "name": obj.org.name}


class SchemeDetailSerializer(SchemeSerializer):
    dimensions = DimensionSerializer(many=True, read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta(SchemeSerializer.Meta):
        fields = [*SchemeSerializer.Meta.fields, "dimensions", "periods"]


class EntrySerializer(serializers.ModelSerializer):
    dimension = serializers.CharField(source="dimension.code")
    item = serializers.CharField(source="item.code", default=None)
    membership = serializers.UUIDField(source="membership.code", default=None)
    subject_org = serializers.IntegerField(source="subject_org_id", default=None)
    entered_by = serializers.CharField(source="entered_by.username", default=None)
    approved_by = serializers.CharField(source="approved_by.username", default=None)

    class Meta:
        model = Entry
        fields = [
            "id",
            "period",
            "dimension",
            "item",
            "membership",
            "subject_org",
            "points",
            "count",
            "source",
            "status",
            "note",
            "evidence",
            "entered_by",
            "approved_by",
            "approved_at",
            "version",
        ]


class ResultSerializer(serializers.ModelSerializer):
    membership = serializers.UUIDField(source="membership.code", default=None)

    class Meta:
        model = Result
        fields = [
            "id",
            "period",
            "rank",
            "subject_name",
            "membership",
            "subject_org",
            "org",
            "total",
            "carried_in",
            "dimensions",
            "vetoed",
            "grade",
            "excellent_blocked",
            "outcomes",
        ]
