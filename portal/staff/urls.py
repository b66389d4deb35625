from django.urls import path

from portal.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>.ics", views.activity_ics, name="activity-ics"),
    path("activities/<int:pk>/sign-up/", views.activity_sign_up, name="activity-sign-up"),
    path("activities/<int:pk>/reflection/", views.reflection_write, name="reflection-write"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection"),
    path("teams/<slug:slug>/calendar.ics", views.team_calendar, name="team-calendar"),
    path("exchange/", views.ExchangeListView.as_view(), name="exchange"),
    path("exchange/new/", views.experience_create, name="experience-create"),
    path("exchange/<slug:slug>/", views.experience_detail, name="experience"),
    path("exchange/<slug:slug>/edit/", views.experience_edit, name="experience-edit"),
    path("exchange/<slug:slug>/tried/", views.experience_tried, name="experience-tried"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/<slug:slug>/fill-in/", views.questionnaire_fill, name="questionnaire"),
    path("assessments/results/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/results/<int:pk>/chart.svg", views.assessment_chart, name="assessment-chart"),
]
