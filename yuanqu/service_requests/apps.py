from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "yuanqu.service_requests"
    label = "service_requests"
    verbose_name = "企业诉求与惠企政策"
