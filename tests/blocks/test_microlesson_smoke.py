VIDEO = """<lifelong_microlesson display_name="Lesson" media_duration="100"
  video_sources='[{"url": "https://media.example.org/a.mp4", "label": "360p", "height": 360}]'/>"""


def test_first_report_starts_the_clock_and_plays_count(scenario):
    as_user = scenario(VIDEO)
    learner = as_user("student_1")
    status, answer = learner.call("report_progress", {"intervals": [], "position": 0, "duration": 100})
    assert status == 200, answer
    assert answer["coverage"] == 0
