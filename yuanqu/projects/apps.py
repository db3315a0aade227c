from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "yuanqu.projects"
    label = "projects"
    verbose_name = "重点项目"
