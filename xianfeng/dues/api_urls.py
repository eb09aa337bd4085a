from django.urls import path

from xianfeng.dues import api

urlpatterns = [
    path("dues/bases/", api.DuesBaseListCreateApi.as_view(), name="api-dues-bases"),
    path("dues/bases/<int:base_id>/adjust", api.DuesBaseAdjustApi.as_view(), name="api-dues-base-adjust"),
    path("dues/bases/<int:base_id>/hardship", api.DuesHardshipApi.as_view(), name="api-dues-base-hardship"),
    path("dues/payments/", api.DuesPaymentListCreateApi.as_view(), name="api-dues-payments"),
    path("dues/arrears/", api.DuesArrearsApi.as_view(), name="api-dues-arrears"),
    path("dues/arrears/reasons", api.ArrearsReasonApi.as_view(), name="api-dues-arrears-reasons"),
    path("dues/sheet/", api.DuesSheetApi.as_view(), name="api-dues-sheet"),
    path("dues/summary/", api.DuesSummaryApi.as_view(), name="api-dues-summary"),
    path(
        "dues/members/<uuid:code>/year/<int:year>", api.MemberYearApi.as_view(), name="api-dues-member-year"
    ),
    path("dues/remittances/", api.RemittanceApi.as_view(), name="api-dues-remittances"),
    path("dues/remittance-ratios/", api.RemittanceRatioApi.as_view(), name="api-dues-remittance-ratios"),
]
