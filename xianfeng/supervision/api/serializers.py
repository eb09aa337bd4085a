"""Supervision API shapes. States and kinds are plain strings (their values are documented in the
help texts) so the schema gets no new colliding enums."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from xianfeng.people.api import OrgRefSerializer


class SupervisionPersonRefSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    name = serializers.CharField()


class SupervisionCategorySerializer(serializers.Serializer):
    name = serializers.CharField()


class SupervisionTaskListSerializer(serializers.Serializer):
    code = serializers.UUIDField(read_only=True)
    org = OrgRefSerializer(read_only=True)
    year = serializers.IntegerField()
    title = serializers.CharField()
    issued_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)
    categories = serializers.SerializerMethodField()

    def get_categories(self, obj: Any) -> list[str]:
        return [c.name for c in obj.categories.all()]


class SupervisionTaskListInputSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    issued_on = serializers.DateField()
    categories = serializers.ListField(child=serializers.CharField(), required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionMilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    due = serializers.DateField()


class SupervisionItemSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    task_list = serializers.UUIDField(source="task_list.code")
    number = serializers.IntegerField()
    category = serializers.CharField(source="category.name", default="")
    title = serializers.CharField()
    lead_org = OrgRefSerializer()
    lead_person = SupervisionPersonRefSerializer(allow_null=True)
    deadline = serializers.DateField()
    acceptance = serializers.CharField()
    status = serializers.CharField(help_text="not_started, in_progress, pending_check or closed")
    state = serializers.CharField(help_text="The status, or overdue for an open item past its deadline.")
    percent = serializers.IntegerField()
    response = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)


class SupervisionReportSerializer(serializers.Serializer):
    reported_on = serializers.DateField()
    text = serializers.CharField()
    percent = serializers.IntegerField()
    attachments = serializers.SerializerMethodField()

    def get_attachments(self, obj: Any) -> list[str]:
        return [a.name for a in obj.attachments.all()]


class SupervisionItemDetailSerializer(SupervisionItemSerializer):
    milestones = SupervisionMilestoneSerializer(many=True, source="milestones.all")
    collaborators = OrgRefSerializer(many=True, source="collaborators.all")
    reports = SupervisionReportSerializer(many=True, source="reports.all")
    check_note = serializers.CharField()


class SupervisionItemInputSerializer(serializers.Serializer):
    title = serializers.CharField()
    lead_org = serializers.IntegerField()
    lead_person = serializers.UUIDField(required=False, allow_null=True)
    deadline = serializers.DateField()
    category = serializers.CharField(required=False, allow_blank=True, default="")
    collaborators = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    acceptance = serializers.CharField(required=False, allow_blank=True, default="")
    milestones = SupervisionMilestoneSerializer(many=True, required=False, default=list)


class SupervisionProgressInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    percent = serializers.IntegerField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class SupervisionTransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="report_done (owner, needs response), close or return (issuer)")
    response = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionBatchSerializer(serializers.Serializer):
    code = serializers.UUIDField(read_only=True)
    org = OrgRefSerializer(read_only=True)
    source = serializers.CharField(help_text="inspection, audit, self_check or complaint")  # type: ignore[assignment]
    title = serializers.CharField()
    issued_on = serializers.DateField()


class SupervisionBatchInputSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    source = serializers.CharField(help_text="inspection, audit, self_check or complaint")  # type: ignore[assignment]
    title = serializers.CharField()
    issued_on = serializers.DateField(required=False)


class SupervisionRectificationSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    batch = SupervisionBatchSerializer()
    number = serializers.IntegerField()
    problem = serializers.CharField()
    category = serializers.CharField()
    responsible_org = OrgRefSerializer()
    responsible_person = SupervisionPersonRefSerializer(allow_null=True)
    measures = serializers.CharField()
    immediate = serializers.BooleanField()
    deadline = serializers.DateField()
    status = serializers.CharField(help_text="open, submitted or closed")
    state = serializers.CharField(help_text="The status, or overdue for an open problem past its deadline.")
    evidence = serializers.CharField()
    submitted_on = serializers.DateField(allow_null=True)
    verified_on = serializers.DateField(allow_null=True)
    verification_note = serializers.CharField()


class SupervisionRectificationInputSerializer(serializers.Serializer):
    problem = serializers.CharField()
    category = serializers.CharField(
        help_text="political, ideological, organizational, conduct, discipline, integration or other"
    )
    responsible_org = serializers.IntegerField()
    responsible_person = serializers.UUIDField(required=False, allow_null=True)
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    immediate = serializers.BooleanField(required=False, default=False)
    deadline = serializers.DateField(required=False, allow_null=True)


class SupervisionSubmitInputSerializer(serializers.Serializer):
    evidence = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class SupervisionVerifyInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionCountSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    problems = serializers.IntegerField()
    rectified = serializers.IntegerField()
    immediate = serializers.IntegerField()
    overdue = serializers.IntegerField()


class SupervisionOrderSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    number = serializers.CharField()
    kind = serializers.CharField(help_text="reminder, notice or assessment")
    issuer_org = OrgRefSerializer()
    recipient_org = OrgRefSerializer()
    reason = serializers.CharField()
    issued_on = serializers.DateField()
    deadline = serializers.DateField()
    state = serializers.CharField(help_text="open, overdue, responded or escalated")
    previous = serializers.UUIDField(source="previous.code", default=None, allow_null=True)
    response = serializers.CharField()
    responded_on = serializers.DateField(allow_null=True)
    deduction = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class SupervisionOrderInputSerializer(serializers.Serializer):
    issuer_org = serializers.IntegerField()
    recipient_org = serializers.IntegerField()
    kind = serializers.CharField(help_text="reminder, notice or assessment")
    reason = serializers.CharField()
    deadline = serializers.DateField()
    deduction = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)


class SupervisionRespondInputSerializer(serializers.Serializer):
    response = serializers.CharField()


class SupervisionEscalateInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    deadline = serializers.DateField()
    deduction = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)


class SupervisionBoardRowSerializer(serializers.Serializer):
    org_id = serializers.IntegerField()
    org_name = serializers.CharField()
    items = serializers.DictField(child=serializers.IntegerField())
    rectifications = serializers.DictField(child=serializers.IntegerField())
    open_orders = serializers.IntegerField()


class SupervisionBoardSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    item_totals = serializers.DictField(child=serializers.IntegerField())
    rect_totals = serializers.DictField(child=serializers.IntegerField())
    open_orders = serializers.IntegerField()
    truncated = serializers.BooleanField()
    rows = SupervisionBoardRowSerializer(many=True)


class SupervisionPledgeSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    org = OrgRefSerializer()
    year = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    signer = SupervisionPersonRefSerializer()
    issued_on = serializers.DateField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class SupervisionMineSerializer(serializers.Serializer):
    tasks = SupervisionItemSerializer(many=True)
    rectifications = SupervisionRectificationSerializer(many=True)
    orders = SupervisionOrderSerializer(many=True)
    pledges = SupervisionPledgeSerializer(many=True)
    to_check = SupervisionItemSerializer(many=True)
    to_verify = SupervisionRectificationSerializer(many=True)


class SupervisionResponsibilityListSerializer(serializers.Serializer):
    code = serializers.UUIDField(read_only=True)
    org = OrgRefSerializer(read_only=True)
    year = serializers.IntegerField()
    kind = serializers.CharField(help_text="principal or supervisory")
    post = serializers.CharField(allow_blank=True)
    person = SupervisionPersonRefSerializer(allow_null=True, read_only=True)
    lines = serializers.ListField(child=serializers.CharField(), read_only=True)


class SupervisionResponsibilityListInputSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField(help_text="principal or supervisory")
    post = serializers.CharField(required=False, allow_blank=True, default="")
    person = serializers.UUIDField(required=False, allow_null=True)
    content = serializers.CharField()


class SupervisionPledgeInputSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    signer = serializers.UUIDField()


class SupervisionThemeSerializer(serializers.Serializer):
    org = OrgRefSerializer(read_only=True)
    month = serializers.DateField()
    theme = serializers.CharField()
    measures = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionThemeInputSerializer(SupervisionThemeSerializer):
    org = serializers.IntegerField()  # type: ignore[assignment]


class SupervisionPlanSerializer(serializers.Serializer):
    org = OrgRefSerializer(read_only=True)
    kind = serializers.CharField(help_text="weekly_summary or monthly_plan")
    period = serializers.DateField()
    content = serializers.CharField()


class SupervisionPlanInputSerializer(SupervisionPlanSerializer):
    org = serializers.IntegerField()  # type: ignore[assignment]
