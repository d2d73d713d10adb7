"""The Audit log page's plain words for each audit action."""

from rehab.storage.entities import AuditAction

# A test checks that every AuditAction has words here.
ACTION_WORDS = {
    AuditAction.PATIENT_ADD: "Added a patient",
    AuditAction.PATIENT_UPDATE: "Changed a patient's details",
    AuditAction.PATIENT_ARCHIVE: "Archived a patient",
    AuditAction.PATIENT_RESTORE: "Restored a patient",
    AuditAction.PATIENT_VIEW: "Opened a patient",
    AuditAction.PROGRAM_SAVE: "Saved a program version",
    AuditAction.PROGRAM_COPY: "Copied a program to a patient",
    AuditAction.PROGRAM_ARCHIVE: "Archived a program",
    AuditAction.PROGRAM_RESTORE: "Restored a program",
    AuditAction.PROGRAM_VIEW: "Opened a program version",
    AuditAction.PROGRAM_RENDER: "Made a handout (download or preview)",
    AuditAction.DRAFT_SAVE: "Worked on an unsaved draft",
    AuditAction.OUTCOME_ADD: "Added an outcome entry",
    AuditAction.CLINIC_SAVE: "Changed the clinic settings",
    AuditAction.EXERCISE_SAVE: "Saved a clinic exercise",
    AuditAction.DATA_IMPORT: "Imported data",
    AuditAction.EMAIL_QUEUE: "Queued a handout email",
    AuditAction.EMAIL_BLOCKED: "Email not allowed (no consent)",
    AuditAction.EMAIL_SENT: "Email sent",
    AuditAction.EMAIL_DEFERRED: "Email not sent yet; will retry",
    AuditAction.EMAIL_FAILED: "Email failed",
    AuditAction.EMAIL_UNKNOWN: "Email handed over, no answer",
    AuditAction.EMAIL_RETRY: "Email queued again",
    AuditAction.ACCOUNT_ADD: "Added an account",
    AuditAction.ACCOUNT_SIGN_IN: "Signed in",
    AuditAction.ACCOUNT_SIGN_IN_FAILED: "Failed sign-in",
    AuditAction.ACCOUNT_SIGN_OUT: "Signed out or ended a session",
    AuditAction.ACCOUNT_UPDATE: "Turned an account off or on",
    AuditAction.ACCOUNT_PASSWORD: "Changed a password",
}
