from django.urls import path

from yuanqu.investment import views

app_name = "investment"

# Mounted at the site root: the module owns /investment/… and the enterprise page
# /enterprises/<id>/ (一企一档), whose panels every module may add to.
urlpatterns = [
    path("investment/", views.index, name="index"),
    path("investment/leads/<int:lead_id>/", views.lead, name="lead"),
    path("investment/leads/<int:lead_id>/lifecycle/", views.lead_lifecycle, name="lifecycle"),
    path("enterprises/<int:enterprise_id>/", views.enterprise, name="enterprise"),
]
