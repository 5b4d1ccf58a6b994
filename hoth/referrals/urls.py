from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.start, name="start"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/add-information/", views.add_information, name="add-information"),
    # The question flow: each page saves the draft.
    path("<str:reference>/about/", views.subject, name="subject"),
    path("<str:reference>/child/", views.child, name="child"),
    path("<str:reference>/place-or-group/", views.context, name="context"),
    path("<str:reference>/place-or-group/new/", views.new_context, name="new-context"),
    path("<str:reference>/harm/", views.harm, name="harm"),
    path("<str:reference>/what-happened/", views.what_happened, name="what-happened"),
    path("<str:reference>/child-says/", views.child_words, name="child-words"),
    path("<str:reference>/people-and-places/", views.associates, name="associates"),
    path("<str:reference>/people-and-places/add/", views.add_associate, name="add-associate"),
    path("<str:reference>/people-and-places/<int:pk>/remove/", views.remove_associate, name="remove-associate"),
    path("<str:reference>/danger/", views.danger, name="danger"),
    path("<str:reference>/call-999/", views.call_999, name="call-999"),
    path("<str:reference>/your-details/", views.referrer, name="referrer"),
    path("<str:reference>/consent/", views.consent, name="consent"),
    path("<str:reference>/lawful-basis/", views.lawful_basis, name="lawful-basis"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/sent/", views.confirmation, name="confirmation"),
]
