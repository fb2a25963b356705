global using Task = System.Threading.Tasks.Task;
global using TaskStatus = Mesos.V1.TaskStatus;
