"""Many learners liking and playing one gallery recitation at once, with real threads on separate
connections and MariaDB's row locks: counters stay exact and no request deadlocks."""
import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.identity import Person
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.recitation import Recitation, RecitationLike, RecitationPlay
from lifelong_xblocks.reading import recitation_gallery as gallery

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

LEARNERS = 50
COURSE = "course-v1:OU+READ+2025"
USAGE = "block-v1:OU+READ+2025+type@lifelong_recitation+block@r1"


@pytest.fixture
def entry():
    owner = get_user_model().objects.create(username="reader")
    recording = StoredFile.objects.create(course_key=COURSE, usage_key=USAGE, user=owner, purpose="recitation",
                                          kind="audio", storage_name="lifelong/recitation/x.wav",
                                          original_name="x.wav", content_type="audio/wav", size=10, sha256="0" * 64,
                                          duration=2.0)
    return Recitation.objects.create(course_key=COURSE, usage_key=USAGE, user=owner, recording=recording,
                                     gallery_consent=True, featured=True)


@pytest.fixture
def learners():
    return [get_user_model().objects.create(username=f"learner_{i}").pk for i in range(LEARNERS)]


def test_fifty_learners_liking_at_once_make_exactly_fifty_likes(entry, learners, concurrently):
    results, errors = concurrently(lambda i: gallery.set_like(USAGE, entry.pk, learners[i], True), LEARNERS)
    assert [(i, repr(error)) for i, error in errors] == []
    assert len(results) == LEARNERS
    entry.refresh_from_db()
    assert entry.like_count == LEARNERS == RecitationLike.objects.filter(recitation=entry).count()


def test_one_learner_liking_in_many_tabs_at_once_likes_once(entry, learners, concurrently):
    results, errors = concurrently(lambda i: gallery.set_like(USAGE, entry.pk, learners[0], i % 2 == 0), 20)
    assert [(i, repr(error)) for i, error in errors] == []
    entry.refresh_from_db()
    assert entry.like_count == RecitationLike.objects.filter(recitation=entry).count() <= 1


def test_plays_at_once_count_once_per_learner(entry, learners, concurrently):
    people = [Person(user_id=pk, username="", anonymous_id="", is_staff=False) for pk in learners[:25]]
    results, errors = concurrently(lambda i: gallery.count_play(USAGE, entry.pk, people[i % 25]), LEARNERS)
    assert [(i, repr(error)) for i, error in errors] == []
    entry.refresh_from_db()
    assert entry.play_count == 25 == RecitationPlay.objects.count()
    assert sum(1 for _i, (counted, _plays) in results if counted) == 25
